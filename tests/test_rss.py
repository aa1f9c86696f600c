"""EMA and FDA news feeds: golden records for the dupilumab fixtures, and every validation gate."""

from __future__ import annotations

import io
from typing import Any

import feedparser
import pytest

from bot.sources.base import ParseError
from bot.sources.news import NewsFeed, news_sources
from bot.watchlist import Method
from tests.golden import FIXTURES, assert_golden

EMA = "https://www.ema.europa.eu"
FDA = "https://www.fda.gov"
DUPILUMAB = Method(
    id="dupilumab-ad-12-17",
    title="Dupilumab (Dupixent) til behandling av atopisk eksem hos pasienter fra 12-17 år",
    substance="dupilumab",
    trade_names=["Dupixent"],
)
METHODS = [DUPILUMAB]


def fixture(name: str) -> bytes:
    return (FIXTURES / "rss" / name).read_bytes()


def sources() -> dict[str, NewsFeed]:
    return {source.name: source for source in news_sources(EMA, FDA)}


def parse(source_name: str, body: bytes, *, status: int = 200) -> Any:
    source = sources()[source_name]
    return source.parse(source.plan(METHODS)[0], status, body, METHODS)


def by_title(page: Any) -> dict[str, Any]:
    return {record.fields["title"]: record for record in page.records}


# Planning


def test_news_sources_read_the_documented_feeds_from_the_configured_bases() -> None:
    """EMA news and what's new form one source; FDA press releases another."""
    plans = {s.name: s.plan(METHODS) for s in news_sources("http://127.0.0.1:8000/", FDA)}
    assert [q.url for q in plans["ema_rss"]] == [
        "http://127.0.0.1:8000/en/news.xml",
        "http://127.0.0.1:8000/en/whats-new.xml",
    ]
    assert [q.url for q in plans["fda_rss"]] == [
        f"{FDA}/about-fda/contact-fda/stay-informed/rss-feeds/press-releases/rss.xml"
    ]


def test_feed_queries_expect_a_feed_and_no_keys() -> None:
    """An item dropping out of a feed is not a deletion, so no key is expected."""
    for source in news_sources(EMA, FDA):
        for query in source.plan(METHODS):
            assert query.expect == "feed"
            assert query.expected_keys == frozenset()
            assert query.source == source.name


def test_nothing_is_planned_for_an_empty_watchlist() -> None:
    """With no methods no item can match, so no feed is read."""
    assert all(source.plan([]) == [] for source in news_sources(EMA, FDA))


def test_an_unknown_publisher_is_refused() -> None:
    """Links are trusted per publisher host, so the publisher must be known."""
    with pytest.raises(ValueError, match="unknown publisher"):
        NewsFeed("x", ["https://example.org/rss.xml"], publisher="Example")


# Golden records


@pytest.mark.parametrize(
    ("case", "source_name"),
    [
        ("ema_news", "ema_rss"),
        ("ema_whats_new", "ema_rss"),
        ("fda_press_releases", "fda_rss"),
        ("encoding_override", "ema_rss"),
    ],
)
def test_feed_golden(case: str, source_name: str) -> None:
    """Each feed fixture yields exactly the expected records."""
    page = parse(source_name, fixture(f"{case}.xml"))
    assert_golden(page, FIXTURES / "rss" / f"{case}.expected.json")


# What is kept, and how


def test_only_items_naming_a_watched_name_are_kept() -> None:
    """Items about other medicines, and 'Dupixentol', are not records."""
    titles = set(by_title(parse("ema_rss", fixture("ema_news.xml"))))
    assert "First gene therapy to treat haemophilia B" not in titles
    assert "New treatment option for moderate-to-severe atopic dermatitis" not in titles
    assert len(titles) == 4


def test_names_match_ignoring_case_and_accents() -> None:
    """'DUPIXÉNT' in a title and 'Düpilumab' in a summary both match."""
    records = by_title(parse("ema_rss", fixture("ema_news.xml")))
    record = records[
        "DUPIXÉNT: extension of indication recommended for children aged 6 to 11 years"
    ]
    assert record.fields["matched"] == ["dupilumab", "Dupixent"]
    assert record.method_ids == ("dupilumab-ad-12-17",)


def test_invisible_characters_are_stripped_before_matching() -> None:
    """A zero-width space inside 'dupilumab' and a bidi override do not survive."""
    titles = by_title(parse("ema_rss", fixture("ema_news.xml")))
    assert "Supply of dupilumab pre-filled pens restored in all Member States" in titles


def test_a_channel_mention_in_a_title_stays_raw_text() -> None:
    """'<!channel>' is kept as text; escaping for Slack happens when posting."""
    records = by_title(parse("fda_rss", fixture("fda_press_releases.xml")))
    assert "Urgent <!channel> dupilumab update & <@U123> <https://evil.example|click>" in records


def test_cdata_html_summaries_become_plain_text() -> None:
    """Tags and scripts go; paragraphs and list items become lines."""
    [record, *_] = parse("ema_rss", fixture("ema_news.xml")).records
    summary = record.fields["summary"]
    assert "<" not in summary and "alert(" not in summary
    assert "\nDupixent (dupilumab): extension to adolescents 12 to 17 years" in summary


def test_the_same_item_in_both_ema_feeds_has_one_key() -> None:
    """A news item also listed in what's new is the same record key."""
    news = {r.key for r in parse("ema_rss", fixture("ema_news.xml")).records}
    whats_new = {r.key for r in parse("ema_rss", fixture("ema_whats_new.xml")).records}
    assert news & whats_new == {"60416 at https://www.ema.europa.eu"}


def test_keys_are_guid_then_link_then_a_content_hash() -> None:
    """Identity follows rss2email: guid, else link, else a hash of title and summary."""
    records = by_title(parse("fda_rss", fixture("fda_press_releases.xml")))
    copd = records["FDA approves Dupixent for chronic obstructive pulmonary disease"]
    eoe = records[
        "FDA Approves First Treatment for Eosinophilic Esophagitis, a Chronic Immune Disorder"
    ]
    statement = records["Statement on dupilumab and conjunctivitis reports"]
    assert copd.key == "fda-dupixent-copd-2024"
    assert eoe.key == eoe.fields["link"]
    assert statement.key.startswith("sha256:") and len(statement.key) == 71


def test_links_off_the_publisher_site_are_not_used() -> None:
    """A look-alike host, or no link at all, gives the feed's site as the link for people."""
    ema = by_title(parse("ema_rss", fixture("ema_news.xml")))
    fda = by_title(parse("fda_rss", fixture("fda_press_releases.xml")))
    assert ema["Beware of fake dupilumab offered online"].url == f"{EMA}/"
    assert fda["Statement on dupilumab and conjunctivitis reports"].url == f"{FDA}/"


def test_an_http_link_on_the_publisher_site_is_upgraded_to_https() -> None:
    """FDA's feed links items with http://; people get the item's https page, not the site."""
    fda = by_title(parse("fda_rss", fixture("fda_press_releases.xml")))
    copd = fda["FDA approves Dupixent for chronic obstructive pulmonary disease"]
    assert copd.url == f"{FDA}/news-events/press-announcements/dupixent-copd"
    assert copd.fields["link"] == "http://www.fda.gov/news-events/press-announcements/dupixent-copd"


def test_dates_become_iso_utc() -> None:
    """'Fri, 20 May 2022 13:45:00 EDT' is 17:45 UTC."""
    records = by_title(parse("fda_rss", fixture("fda_press_releases.xml")))
    eoe = next(r for title, r in records.items() if "Eosinophilic" in title)
    assert eoe.fields["published"] == "2022-05-20T17:45:00+00:00"
    assert eoe.fields["publisher"] == "FDA"


def test_a_long_summary_is_capped() -> None:
    """Summaries stop near 1,000 characters, marked with an ellipsis."""
    body = fixture("ema_news.xml").replace(
        b"Plain text summary: the shortage is over.", b"word " * 2000
    )
    records = by_title(parse("ema_rss", body))
    summary = records["Supply of dupilumab pre-filled pens restored in all Member States"]
    assert len(summary.fields["summary"]) <= 1000
    assert summary.fields["summary"].endswith("…")


def test_an_encoding_override_is_only_a_warning() -> None:
    """A feed declared UTF-8 but written in Windows-1252 is read, accents intact."""
    [record] = parse("ema_rss", fixture("encoding_override.xml")).records
    assert record.fields["title"] == "Dupixént: CHMP opinion for patients aged 12–17 years"


# Gates


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("html_error_page.html", "not a feed"),
        ("empty.xml", "not a feed"),
        ("truncated.xml", "malformed feed"),
        ("item_without_title_or_link.xml", "neither title nor link"),
        ("billion_laughs.xml", "declares XML entities"),
        ("xxe.xml", "declares XML entities"),
    ],
)
def test_a_bad_answer_is_rejected(case: str, reason: str) -> None:
    """HTML pages, empty and truncated bodies, unidentifiable items and entity attacks fail."""
    with pytest.raises(ParseError, match=reason):
        parse("fda_rss", fixture(case))


def test_a_truncated_feed_is_rejected_although_it_has_entries() -> None:
    """feedparser returns the items before the cut; the whole answer is still refused."""
    parsed = feedparser.parse(io.BytesIO(fixture("truncated.xml")))
    assert parsed.bozo and len(parsed.entries) >= 2
    with pytest.raises(ParseError):
        parse("fda_rss", fixture("truncated.xml"))


def test_a_billion_laughs_feed_is_refused_before_parsing() -> None:
    """The entity bomb is refused by the entity gate, before feedparser sees it (timed in
    `bench/guards.py`)."""
    with pytest.raises(ParseError, match="declares XML entities"):
        parse("ema_rss", fixture("billion_laughs.xml"))


def test_feedparser_itself_neither_expands_nor_reads_files() -> None:
    """Behind our entity gate, feedparser still resolves no file and stops the bomb (#107)."""
    xxe = feedparser.parse(io.BytesIO(fixture("xxe.xml")))
    laughs = feedparser.parse(io.BytesIO(fixture("billion_laughs.xml")))
    assert "root:" not in str(xxe)
    assert len(str(laughs)) < 100_000


def test_a_status_the_query_does_not_accept_is_rejected() -> None:
    """A 403 from a blocking CDN is a failure, whatever the body."""
    with pytest.raises(ParseError, match="HTTP status 403"):
        parse("ema_rss", fixture("ema_news.xml"), status=403)


def test_a_feedparser_crash_is_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some malformed feeds make feedparser raise (feedparser#277); that is a failed source."""

    def crash(_: Any) -> Any:
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr(feedparser, "parse", crash)
    with pytest.raises(ParseError, match="feedparser failed"):
        parse("ema_rss", fixture("ema_news.xml"))


def test_a_body_holding_a_url_is_never_fetched() -> None:
    """feedparser gets bytes, so a URL in the body is text, not a request."""
    with pytest.raises(ParseError, match="not a feed"):
        parse("ema_rss", b"https://www.ema.europa.eu/en/news.xml")
