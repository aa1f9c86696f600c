"""The watchlist's model: a method (metode) and the checks of its every field."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_serializer, field_validator

MAX_WATCHLIST_BYTES = 1_000_000

NCT_RE = re.compile(r"^NCT\d{8}$")
FDA_APPLICATION_RE = re.compile(r"^(BLA|NDA|ANDA)\d{6}$")
EMA_PRODUCT_RE = re.compile(r"^EMEA/H/C/\d{6}$")
NYE_METODER_RE = re.compile(r"^ID\d{4}_\d{3}$")
ATC_RE = re.compile(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")
HTTPS_RE = re.compile(r"^https://\S+$")
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
CHANNEL_RE = re.compile(r"^[CG][A-Z0-9]{6,}$")


def _as_list(value: Any) -> Any:
    """A single value where a list is expected is a one-item list (kind to hand-written YAML)."""
    return [value] if isinstance(value, str) else value


def _patterned(values: list[str], pattern: re.Pattern[str], what: str, example: str) -> list[str]:
    for value in values:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not {what} (e.g. {example})")
    if len(set(values)) != len(values):
        raise ValueError("lists the same value twice")
    return values


StrList = Annotated[list[str], BeforeValidator(_as_list)]
# A new product, or an extension of indication (indikasjonsutvidelse) of an authorised one.
Kind = Literal["new_product", "extension"]


class Discovery(BaseModel):
    """Alert on newly registered trials of the method's substance for this condition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    condition: str


class Method(BaseModel):
    """One method (metode) on the watchlist, with the facts of its metodevarsel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    substance: str
    trade_names: StrList = []
    atc: str | None = None
    atc_name: str | None = None
    indication: str | None = None
    area: str | None = None
    method_type: str | None = None
    mt_holder: str | None = None
    financing: str | None = None
    trials: StrList = []
    fda_applications: StrList = []
    ema_products: StrList = []
    kind: Kind | None = None  # unset: an extension when its EMA product was authorised first
    population: StrList = []  # English words naming the extension's patients in EMA's texts
    nye_metoder: StrList = []
    nye_metoder_url: StrList = []  # the method's page, or its pages when it spans several
    notice_url: str | None = None
    discover: Discovery | None = None
    channel: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and '-')")
        return value

    @field_validator("atc")
    @classmethod
    def _atc(cls, value: str | None) -> str | None:
        if value is not None and not ATC_RE.match(value):
            raise ValueError(f"{value!r} is not an ATC code (e.g. D11AH05)")
        return value

    @field_validator("trials")
    @classmethod
    def _trials(cls, value: list[str]) -> list[str]:
        return _patterned(value, NCT_RE, "an NCT ID", "NCT03054428")

    @field_validator("fda_applications")
    @classmethod
    def _fda(cls, value: list[str]) -> list[str]:
        return _patterned(value, FDA_APPLICATION_RE, "an FDA application number", "BLA761055")

    @field_validator("ema_products")
    @classmethod
    def _ema(cls, value: list[str]) -> list[str]:
        return _patterned(value, EMA_PRODUCT_RE, "an EMA product number", "EMEA/H/C/004390")

    @field_validator("nye_metoder")
    @classmethod
    def _nye_metoder(cls, value: list[str]) -> list[str]:
        return _patterned(value, NYE_METODER_RE, "a Nye metoder ID", "ID2019_015")

    @field_validator("notice_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(f"{value!r} is not an https:// link")
        return value

    @field_validator("nye_metoder_url")
    @classmethod
    def _https_pages(cls, value: list[str]) -> list[str]:
        return _patterned(value, HTTPS_RE, "an https:// link", "https://nyemetoder.no/metoder/…")

    @field_serializer("nye_metoder_url")
    def _one_page_as_a_link(self, value: list[str]) -> str | list[str]:
        # Written back (export, stored definitions) as the file usually has it: one link.
        return value[0] if len(value) == 1 else value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_RE.match(value):
            raise ValueError(f"{value!r} is not a Slack channel ID (e.g. C0123ABCD)")
        return value

    @field_validator("population")
    @classmethod
    def _population(cls, value: list[str]) -> list[str]:
        if any(not entry.strip() for entry in value):
            raise ValueError("an entry is empty (give the words EMA uses, e.g. 'adolescents')")
        return [" ".join(entry.split()) for entry in value]

    @field_validator("title", "substance")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


class WatchlistDocument(BaseModel):
    """The top level of watchlist.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    methods: list[Method]
