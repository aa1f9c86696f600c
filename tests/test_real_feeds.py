"""FDA's real press-release feed: golden records, links to the item, keys that survive https."""

from __future__ import annotations

import pytest

from bot.sources.base import Page
from bot.sources.news.feeds import news_sources
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

REAL = FIXTURES / "rss" / "real"
CAPTURE = "fda_press_releases_rss_capture_from_code_idx67655592673"
RECONSTRUCTED = "fda_press_releases_rss_RECONSTRUCTED_from_stored_page_2023-12-05"
FDA = "https://www.fda.gov"
SEMAGLUTIDE = Method(id="semaglutide", title="Semaglutid", substance="semaglutide")
NALOXONE = Method(id="naloxone", title="Nalokson nesespray", substance="naloxone")
# "FDA" is a whole word in every real title, so this method keeps every item.
EVERY_ITEM = Method(id="every-item", title="Alt fra FDA", substance="FDA")


def body(case: str) -> bytes:
    return (REAL / f"{case}.xml").read_bytes()


def parse(feed: bytes, methods: list[Method]) -> Page:
    source = next(s for s in news_sources("https://www.ema.europa.eu", FDA) if s.name == "fda_rss")
    return source.parse(source.plan(methods)[0], 200, feed, methods)


@pytest.mark.parametrize("case", [CAPTURE, RECONSTRUCTED])
def test_real_feed_golden(case: str) -> None:
    """Each real FDA feed yields exactly the expected records for semaglutide and naloxone."""
    page = parse(body(case), [SEMAGLUTIDE, NALOXONE])
    assert_golden(page, REAL / f"{case}.expected.json")


@pytest.mark.parametrize("case", [CAPTURE, RECONSTRUCTED])
def test_every_real_item_links_to_its_own_https_page(case: str) -> None:
    """The feed's http:// links become the items' https pages; none falls back to the site."""
    records = parse(body(case), [EVERY_ITEM]).records
    assert len(records) == body(case).count(b"<item>")
    for record in records:
        assert record.url == record.fields["link"].replace("http://", "https://", 1)
        assert record.url.startswith(f"{FDA}/news-events/press-announcements/")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"http://www.fda.gov/", b"https://www.fda.gov/"),
        (b"http://www.fda.gov/", b"https://WWW.FDA.GOV/"),
        (b"</guid>", b"/</guid>"),
    ],
    ids=["https", "host_case", "trailing_slash"],
)
def test_item_keys_survive_the_feed_changing_how_it_writes_urls(old: bytes, new: bytes) -> None:
    """The same items read from a feed moved to https (or re-spelt) have the same keys."""
    before = parse(body(RECONSTRUCTED), [EVERY_ITEM]).records
    after = parse(body(RECONSTRUCTED).replace(old, new), [EVERY_ITEM]).records
    assert [r.key for r in after] == [r.key for r in before]
    assert all(r.key.startswith(f"{FDA}/news-events/") for r in before)


def test_the_permalink_guid_is_the_key() -> None:
    """guid isPermaLink="true" holds the item URL; the key is it, in https form."""
    (record,) = parse(body(CAPTURE), [SEMAGLUTIDE]).records
    assert record.key == f"{FDA}/news-events/press-announcements/fda-warns-compounded-semaglutide"


def test_double_encoded_quotes_are_read_as_quotes() -> None:
    """FDA writes &amp;quot; in descriptions; the summary shows plain quotation marks."""
    (record,) = parse(body(CAPTURE), [SEMAGLUTIDE]).records
    assert 'products marketed as "research chemicals".' in record.fields["summary"]


def test_eastern_time_zone_names_become_utc() -> None:
    """'Wed, 29 Mar 2023 08:28:42 EDT' is 12:28:42 UTC; EST items are five hours behind UTC."""
    records = {r.method_ids[0]: r for r in parse(body(RECONSTRUCTED), [NALOXONE]).records}
    assert records["naloxone"].fields["published"] == "2023-03-29T12:28:42+00:00"
    roundup = parse(body(RECONSTRUCTED), [EVERY_ITEM]).records[0]
    assert roundup.fields["published"] == "2023-12-05T21:59:37+00:00"
