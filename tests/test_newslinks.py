"""News links and keys: own-site links upgraded to https, keys that survive a change of scheme."""

from __future__ import annotations

import pytest

from bot.sources.news.links import normal_key, own_link

ITEM = "https://www.fda.gov/news-events/press-announcements/fda-warns-compounded-semaglutide"


@pytest.mark.parametrize(
    "link",
    [
        "http://www.fda.gov/news-events/press-announcements/fda-warns-compounded-semaglutide",
        ITEM,
        "HTTP://WWW.FDA.GOV:80/news-events/press-announcements/fda-warns-compounded-semaglutide",
        " https://www.fda.gov:443/news-events/press-announcements/fda-warns-compounded-semaglutide",
    ],
)
def test_a_link_on_the_publishers_host_becomes_its_https_page(link: str) -> None:
    """http, upper-case host, a default port and spaces around all give the same https page."""
    assert own_link(link, host="fda.gov") == ITEM


def test_a_subdomain_of_the_publisher_is_its_own() -> None:
    """Pages on a subdomain (www., or another) are the publisher's, kept with query and path."""
    link = "http://public.ema.europa.eu/en/news?id=1"
    assert own_link(link, host="ema.europa.eu") == "https://public.ema.europa.eu/en/news?id=1"


@pytest.mark.parametrize(
    "link",
    [
        "https://www.fda.gov.evil.example/news",
        "https://evilfda.gov/news",
        "https://www.fda.gov@evil.example/news",
        "https://user@www.fda.gov/news",
        "https://www.fda.gov:8443/news",
        "https://www.fda.gov:notaport/news",
        "ftp://www.fda.gov/news",
        "javascript:alert(1)//www.fda.gov",
        "/news-events/press-announcements/relative",
        "",
        None,
    ],
)
def test_anything_else_is_not_the_publishers_page(link: str | None) -> None:
    """Look-alike hosts, credentials, odd ports, other schemes and relative links are refused."""
    assert own_link(link, host="fda.gov") is None


@pytest.mark.parametrize(
    "key",
    [
        "http://www.fda.gov/news-events/press-announcements/fda-warns-compounded-semaglutide",
        "https://WWW.FDA.GOV/news-events/press-announcements/fda-warns-compounded-semaglutide/",
        "http://www.fda.gov:80/news-events/press-announcements/fda-warns-compounded-semaglutide",
        ITEM,
    ],
)
def test_url_keys_of_one_item_normalise_to_one_key(key: str) -> None:
    """Scheme, host case, default port and a trailing slash do not make another item."""
    assert normal_key(key) == ITEM


def test_the_path_and_query_keep_their_case() -> None:
    """Only the host is case-insensitive; /News and ?id=A name other pages."""
    assert normal_key("http://www.fda.gov/News?id=A") == "https://www.fda.gov/News?id=A"


@pytest.mark.parametrize(
    ("key", "normal"),
    [
        ("60416 at http://www.ema.europa.eu/", "60416 at https://www.ema.europa.eu"),
        ("60416 at https://www.ema.europa.eu", "60416 at https://www.ema.europa.eu"),
        ("fda-dupixent-copd-2024", "fda-dupixent-copd-2024"),
        ("sha256:" + "a" * 64, "sha256:" + "a" * 64),
        (" urn:uuid:1234 ", "urn:uuid:1234"),
    ],
)
def test_drupal_guids_are_normalised_and_plain_guids_kept(key: str, normal: str) -> None:
    """'<node> at <site>' guids get the same URL rules; keys without a URL are kept as given."""
    assert normal_key(key) == normal


def test_normalising_is_idempotent() -> None:
    """A normalised key normalises to itself, so the migration can run on any database."""
    for key in ("http://WWW.fda.gov/a/", "60416 at http://www.ema.europa.eu/", "plain"):
        assert normal_key(normal_key(key)) == normal_key(key)
