"""Benchmarks: a poll cycle of the real bot against a synthetic, loopback-only source world."""
