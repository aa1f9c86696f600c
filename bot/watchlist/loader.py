"""Reading a watchlist file strictly: every problem reported as file:line: field: message."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.watchlist.model import MAX_WATCHLIST_BYTES, Discovery, Method, WatchlistDocument
from bot.watchlist.scope import Scope
from bot.watchlist.yamlnodes import Marked, YamlShapeError, dotted_path, read_yaml


@dataclass(frozen=True)
class WatchlistIssue:
    """One problem in a watchlist file, located at file:line and a field path."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.field}: " if self.field else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class WatchlistError(ValueError):
    """A watchlist that cannot be used; carries every issue found."""

    def __init__(self, issues: list[WatchlistIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


class WatchlistFile(WatchlistDocument):
    """The whole file: its methods and the team's scope (None when the file has no `scope:`)."""

    scope: Scope | None = None


def load_watchlist(path: Path) -> list[Method]:
    """Read and validate a watchlist file; raise WatchlistError naming every problem."""
    return read_watchlist(path).methods


def read_watchlist(path: Path) -> WatchlistFile:
    """Read and validate a watchlist file, methods and scope; WatchlistError names every problem."""
    return watchlist_from_bytes(read_watchlist_file(path), name=str(path))


def read_watchlist_file(path: Path) -> bytes:
    """The file's bytes, or WatchlistError saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise WatchlistError(
            [WatchlistIssue(str(path), 0, "", f"cannot read: {exc.strerror}")]
        ) from None


def watchlist_from_bytes(raw: bytes, *, name: str) -> WatchlistFile:
    """Validate a watchlist file's bytes, methods and scope; `name` is used in messages."""
    if len(raw) > MAX_WATCHLIST_BYTES:
        raise WatchlistError([WatchlistIssue(name, 0, "", "file is larger than 1 MB")])
    return parse_watchlist_file(raw.decode("utf-8", errors="replace"), name=name)


def parse_watchlist(text: str, *, name: str) -> list[Method]:
    """Validate watchlist YAML text; `name` is the file name used in messages."""
    return parse_watchlist_file(text, name=name).methods


def parse_watchlist_file(text: str, *, name: str) -> WatchlistFile:
    """Validate watchlist YAML text, methods and scope; `name` is used in messages."""
    try:
        document = read_yaml(text)
    except YamlShapeError as exc:
        raise WatchlistError([WatchlistIssue(name, exc.line, exc.field, exc.message)]) from None
    try:
        parsed = WatchlistFile.model_validate(document.value)
    except ValidationError as exc:
        raise WatchlistError(_issues_from(exc, document, name)) from None
    _check_unique_ids(parsed.methods, document, name)
    return parsed


def _check_unique_ids(methods: list[Method], document: Marked, name: str) -> None:
    seen: dict[str, int] = {}
    issues = []
    for index, method in enumerate(methods):
        line = document.line_of(("methods", index, "id"))
        if method.id in seen:
            message = f"duplicate method id {method.id!r} (first used on line {seen[method.id]})"
            issues.append(WatchlistIssue(name, line, f"methods[{index}].id", message))
        seen.setdefault(method.id, line)
    if issues:
        raise WatchlistError(issues)


def _issues_from(exc: ValidationError, document: Marked, name: str) -> list[WatchlistIssue]:
    issues = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        issues.append(
            WatchlistIssue(name, document.line_of(loc), dotted_path(loc), _message(error, loc))
        )
    return issues


def _message(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _unknown_key(str(loc[-1]), loc)
    if kind == "missing":
        return "required field is missing"
    if kind in {"list_type", "model_type", "dict_type"}:
        expected = {"list_type": "a list", "model_type": "a mapping", "dict_type": "a mapping"}
        return f"must be {expected[kind]}"
    if kind == "string_type":
        return "must be a text value"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _unknown_key(key: str, loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = WatchlistFile
    if len(loc) > 1:
        model = Discovery if "discover" in loc else Method
        model = Scope if loc[0] == "scope" else model
    choices = list(model.model_fields)
    close = difflib.get_close_matches(key, choices, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(choices)})"
    return f"unknown key {key!r}{hint}"
