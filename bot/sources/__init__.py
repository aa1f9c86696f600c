"""The sources the bot reads; each module turns bytes from one registry into records."""
