"""The message catalogue's parity: every entry in both languages, with the same placeholders."""

from __future__ import annotations

import string
from typing import Any, get_args

import pytest

from bot.texts import catalogue as messages
from bot.texts.catalogue import MONTHS, TEXT, Language, text

LANGUAGES = set(get_args(Language))
# The catalogue's tables found by shape: {key: {language: text}}. Named ones must be among them.
TABLES: dict[str, dict[str, Any]] = {
    name: value
    for name, value in vars(messages).items()
    if name.isupper()
    and isinstance(value, dict)
    and value
    and all(isinstance(entry, dict) for entry in value.values())
}
KNOWN = {"TEXT", "TRIAL_STATUS", "DATE_TYPE", "PHASE", "SOURCE_NAME", "OUTLOOK", "OUTLOOK_REASON"}
ENTRIES = [
    pytest.param(table, key, id=f"{table}.{key}")
    for table, entries in sorted(TABLES.items())
    for key in entries
]


def placeholders(template: str) -> set[str]:
    """The `{names}` a template fills in (escaped `{{` and `}}` are not placeholders)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_tables_are_found() -> None:
    """The shape-based search finds every known table (else the parity tests would check less)."""
    assert set(TABLES) >= KNOWN
    assert len(TEXT) >= 160


@pytest.mark.parametrize(("table", "key"), ENTRIES)
def test_entry_has_both_languages_with_the_same_placeholders(table: str, key: str) -> None:
    """Norwegian and English both present, non-empty, filling in the same values."""
    entry = TABLES[table][key]
    assert set(entry) == LANGUAGES
    # A text, or a tuple of forms (a noun's singular and plural).
    forms = {
        language: value if isinstance(value, tuple) else (value,)
        for language, value in entry.items()
    }
    assert len(forms["nb"]) == len(forms["en"])
    assert all(isinstance(form, str) and form.strip() for value in forms.values() for form in value)
    for nb, en in zip(forms["nb"], forms["en"], strict=True):
        assert placeholders(nb) == placeholders(en)


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_text_formats_in_both_languages(key: str) -> None:
    """Each text can be filled in with its own placeholders in either language."""
    values = dict.fromkeys(placeholders(TEXT[key]["nb"]), "x")
    for language in sorted(LANGUAGES):
        assert text(language, key, **values)  # type: ignore[arg-type]


def test_months_are_twelve_in_both_languages() -> None:
    """The month names used in dates: twelve per language, none empty."""
    assert set(MONTHS) == LANGUAGES
    assert all(len(names) == 12 and all(names) for names in MONTHS.values())


def test_a_key_defined_in_two_parts_is_refused() -> None:
    """Two parts of the catalogue defining one key would silently shadow a text: refused."""
    first: dict[str, dict[Language, str]] = {"same": {"nb": "a", "en": "a"}}
    second: dict[str, dict[Language, str]] = {"same": {"nb": "b", "en": "b"}}
    with pytest.raises(ValueError, match="same"):
        messages._merged((first, second))
    assert set(messages._merged(messages.PARTS)) == set(TEXT)
