"""Finding methods for `/metode QUERY`: every key kind, several hits, none, hostile input."""

from __future__ import annotations

import json

import pytest

from bot.lookup.search import MAX_QUERY, QueryTooLong, clean_query, find_methods
from bot.texts.lookupcard import render_help, render_matches, render_no_match
from bot.watchlist import Method, load_watchlist
from tests.world import SEED

(DUPILUMAB,) = load_watchlist(SEED)
ASTHMA = Method(
    id="dupilumab-astma",
    title="Dupilumab (Dupixent) til behandling av alvorlig astma",
    substance="dupilumab",
    trade_names=["Dupixent"],
    nye_metoder=["ID2019_082"],
)
OTHER = Method(id="tralokinumab", title="Tralokinumab (Adtralza) mot atopisk eksem", substance="x")


def ids(methods: list[Method]) -> list[str]:
    return [method.id for method in methods]


@pytest.mark.parametrize(
    "query",
    [
        "dupilumab",
        "DUPIXENT",
        "Dupixént",
        "d11ah05",
        "NCT03054428",
        "nct02612454",
        "id2019_015",
        "EMEA/H/C/004390",
        "bla761055",
        "dupilumab-ad-12-17",
        "  Dupilumab  ",
    ],
)
def test_every_key_kind_finds_the_method(query: str) -> None:
    """Substance, trade name, ATC, NCT, Nye metoder ID, EMA/FDA number and slug, any case."""
    match = find_methods([DUPILUMAB, OTHER], query)
    assert ids(match.exact) == ["dupilumab-ad-12-17"]
    assert match.suggestions == []


def test_discovered_trial_is_found_through_extra_keys() -> None:
    """A trial known only from the snapshots (discovery) finds its method via `extra_keys`."""
    assert find_methods([DUPILUMAB], "NCT03346434").exact == []
    extra = {"dupilumab-ad-12-17": ["NCT03346434"]}
    match = find_methods([DUPILUMAB], "nct03346434", extra_keys=extra)
    assert ids(match.exact) == ["dupilumab-ad-12-17"]


@pytest.mark.parametrize("query", ["atopisk eksem", "Atopisk  EKSEM", "12-17 år"])
def test_title_words_find_the_method(query: str) -> None:
    """With no key equal to the query, whole words of the title find the method."""
    assert ids(find_methods([DUPILUMAB, ASTHMA], query).exact) == ["dupilumab-ad-12-17"]


def test_title_words_match_whole_words_only() -> None:
    """'eks' is not a word of 'eksem', and a short word like 'til' finds nothing."""
    assert find_methods([DUPILUMAB], "eks").exact == []
    assert find_methods([DUPILUMAB, ASTHMA], "til").exact == []


def test_shared_substance_gives_every_method() -> None:
    """Two methods with the same substance are both returned, in watchlist order."""
    match = find_methods([DUPILUMAB, OTHER, ASTHMA], "Dupixent")
    assert ids(match.exact) == ["dupilumab-ad-12-17", "dupilumab-astma"]


def test_several_hits_are_listed_with_their_slugs() -> None:
    """The short list names each method and tells how to pick one."""
    message = render_matches([DUPILUMAB, ASTHMA], "dupilumab", language="nb")
    text = message.blocks[0]["text"]["text"]
    assert text.startswith("Fant 2 metoder for «dupilumab»:")
    assert "(`dupilumab-ad-12-17`)" in text and "(`dupilumab-astma`)" in text
    assert "Skriv for eksempel `/metode dupilumab-ad-12-17` for å se én av dem." in text


def test_no_match_suggests_the_closest_names() -> None:
    """A misspelt substance finds nothing and suggests the right one."""
    match = find_methods([DUPILUMAB, OTHER], "dupilumb")
    assert match.exact == []
    assert match.suggestions[0] == "dupilumab"
    message = render_no_match("dupilumb", match.suggestions, language="nb")
    assert message.text == "Fant ingen metode for «dupilumb»."
    assert "Mente du dupilumab" in message.blocks[0]["text"]["text"]


def test_nothing_close_points_to_help() -> None:
    """No match and no near name: the answer says how to get help."""
    match = find_methods([DUPILUMAB], "paracetamol")
    assert match.exact == [] and match.suggestions == []
    message = render_no_match("paracetamol", [], language="en")
    assert message.blocks[0]["text"]["text"] == (
        "No method found for “paracetamol”.\nType `/metode hjelp` to see what you can search for."
    )


def test_empty_query_finds_nothing() -> None:
    """An empty or blank query matches no method and suggests nothing."""
    assert find_methods([DUPILUMAB], "   ") == find_methods([DUPILUMAB], "")
    assert find_methods([DUPILUMAB], "").exact == []


def test_long_query_is_refused() -> None:
    """10,000 characters raise QueryTooLong; exactly MAX_QUERY characters are accepted."""
    with pytest.raises(QueryTooLong):
        clean_query("dupilumab " * 1000)
    assert len(clean_query("d" * MAX_QUERY)) == MAX_QUERY


def test_invisible_characters_are_stripped() -> None:
    """Control, bidi-override, zero-width and soft-hyphen characters vanish; spaces collapse."""
    assert clean_query("\u202edupi\u200blumab\x07\u2066 ") == "dupilumab"
    assert clean_query("dupi\u00adlu\ufeffmab") == "dupilumab"
    assert clean_query(" atopisk \n\t eksem\u200f") == "atopisk eksem"


def test_query_is_nfc_normalised() -> None:
    """A decomposed accent (e + U+0301) becomes one character, and still finds the method."""
    cleaned = clean_query("Dupixe\u0301nt")
    assert cleaned == "Dupix\u00e9nt"
    assert ids(find_methods([DUPILUMAB], cleaned).exact) == ["dupilumab-ad-12-17"]


def test_mention_in_query_is_escaped_in_the_answer() -> None:
    """`/metode <!channel>` echoes the text escaped: nobody is pinged."""
    query = clean_query("<!channel> & <@U123>")
    message = render_no_match(query, find_methods([DUPILUMAB], query).suggestions, language="nb")
    payload = json.dumps([message.text, message.blocks], ensure_ascii=False)
    assert "«&lt;!channel&gt; &amp; &lt;@U123&gt;»" in payload
    assert "<!" not in payload and "<@" not in payload


def test_help_lists_the_commands_escaped() -> None:
    """`/metode hjelp` names every command, with `<søk>` escaped for mrkdwn."""
    text = render_help("nb").blocks[0]["text"]["text"]
    for command in ("liste", "hjelp", "legg til", "fjern &lt;metode&gt;", "kanal &lt;metode&gt;"):
        assert f"`/metode {command}" in text
    assert "`/metode &lt;søk&gt;`" in text and "<" not in text
