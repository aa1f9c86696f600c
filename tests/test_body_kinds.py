"""The fetcher's body gates for HTML pages and XLSX files (Nye metoder's two kinds of answer)."""

from __future__ import annotations

import pytest

from bot.polling.responses import XLSX_TYPE, FetchError, check_body_kind

ZIP = b"PK\x03\x04\x14\x00\x00\x00"
PAGE = b"<!DOCTYPE html><html><body>ID2021_121</body></html>"


@pytest.mark.parametrize("content_type", ["text/html", "text/html; charset=utf-8", "TEXT/HTML"])
def test_an_html_page_passes_the_html_gate(content_type: str) -> None:
    """A method page served as text/html (any charset, any case) is the expected kind."""
    check_body_kind("html", content_type, PAGE)


@pytest.mark.parametrize("content_type", ["application/json", "application/pdf", ""])
def test_another_content_type_fails_the_html_gate(content_type: str) -> None:
    """JSON, a PDF or no content type at all is not the page that was asked for."""
    with pytest.raises(FetchError, match="expected an HTML page"):
        check_body_kind("html", content_type, PAGE)


@pytest.mark.parametrize("content_type", [XLSX_TYPE, "application/octet-stream"])
def test_a_zip_body_passes_the_xlsx_gate(content_type: str) -> None:
    """The spreadsheet type or bare bytes, starting with the ZIP signature, is a workbook."""
    check_body_kind("xlsx", content_type, ZIP + b"rest")


def test_an_html_error_page_fails_the_xlsx_gate() -> None:
    """An error page served as text/html in place of the workbook is refused by its type."""
    with pytest.raises(FetchError, match="expected an XLSX file"):
        check_body_kind("xlsx", "text/html", PAGE)


def test_bytes_without_the_zip_signature_fail_the_xlsx_gate() -> None:
    """An octet-stream that does not start with PK\\x03\\x04 is no XLSX file."""
    with pytest.raises(FetchError, match="no ZIP signature"):
        check_body_kind("xlsx", "application/octet-stream", PAGE)


def test_the_json_and_feed_gates_are_unchanged() -> None:
    """Adding kinds leaves the existing ones as they were: HTML is still refused as JSON."""
    with pytest.raises(FetchError, match="HTML page instead of JSON"):
        check_body_kind("json", "text/html", PAGE)
    with pytest.raises(FetchError, match="HTML page instead of a feed"):
        check_body_kind("feed", "application/xml", PAGE)
