"""The package layout's rules, read from the source: layers, private modules, I/O, Bolt, tables."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# Lower layers never import higher ones; a package may import its own layer's packages only
# where listed here as lower. The top-level modules that tie it together come last.
LAYERS: list[set[str]] = [
    {"bot", "settings", "watchlist"},
    {"sources"},
    {"detection"},
    {"storage"},
    {"overview"},
    {"texts"},
    {"delivery", "lookup"},
    {"polling"},
    {"ops"},
    {"slack"},
    {"runtime"},
    {"cli"},
    {"__main__"},
]
# Third-party libraries that mean I/O (database, HTTP, Slack, servers).
IO_LIBRARIES = {"sqlalchemy", "alembic", "psycopg", "httpx", "slack_sdk", "slack_bolt", "gunicorn"}
PURE = {"watchlist", "sources", "detection", "texts"}
MAX_TOP_LEVEL = 8
MAX_PER_PACKAGE = 15


@dataclass(frozen=True)
class Import:
    """One import statement executed at run time (imports under TYPE_CHECKING are skipped)."""

    file: Path
    line: int
    target: str  # a dotted module name, or `bot.pkg.name` for `from bot.pkg import name`


def unit_of(module: str) -> str:
    """The package (or top-level module) a dotted bot module name belongs to."""
    parts = module.split(".")
    if len(parts) > 1 and ((BOT / parts[1]).is_dir() or (BOT / f"{parts[1]}.py").is_file()):
        return parts[1]
    return "bot"  # the package itself (`from bot import __version__`)


def module_name(file: Path) -> str:
    """`bot/storage/db.py` → `bot.storage.db`."""
    relative = file.relative_to(BOT.parent).with_suffix("")
    return ".".join(relative.parts).removesuffix(".__init__")


def runtime_imports(file: Path) -> Iterator[Import]:
    """Every import in `file` outside `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    for node in _walk_skipping_type_checking(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(file, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield Import(file, node.lineno, f"{node.module}.{alias.name}")


def _walk_skipping_type_checking(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            continue
        yield child
        yield from _walk_skipping_type_checking(child)


def bot_files() -> list[Path]:
    """Every Python module of the bot (migrations included)."""
    return sorted(BOT.rglob("*.py"))


def layer_of(unit: str) -> int:
    """The index of the layer a package or top-level module is in."""
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def public_modules(package: str) -> set[str]:
    """The names a package's `__init__.py` lists in `__all__` (what the rest may use)."""
    tree = ast.parse((BOT / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return set(ast.literal_eval(node.value))
    return set()


def cross_imports() -> Iterator[tuple[str, str, Import]]:
    """(importing unit, imported unit, import) for every import between two bot units."""
    for file in bot_files():
        source = unit_of(module_name(file))
        for found in runtime_imports(file):
            if found.target.split(".")[0] != "bot":
                continue
            target = unit_of(found.target)
            if target != source:
                yield source, target, found


def test_every_package_and_top_level_module_has_a_layer() -> None:
    """The layer table names every package and top-level module (a new one must be placed)."""
    units = {unit_of(module_name(file)) for file in bot_files()}
    placed = set().union(*LAYERS)
    assert units - placed == set()


def test_dependencies_point_down_the_layers() -> None:
    """No package imports a package of its own or a higher layer (type-only imports aside)."""
    upward = [
        f"{found.file.relative_to(BOT.parent)}:{found.line}: {source} imports {target}"
        for source, target, found in cross_imports()
        if layer_of(target) >= layer_of(source)
    ]
    assert upward == []


def test_other_packages_use_only_what_a_package_names_public() -> None:
    """An import into a package names one of the modules its `__init__` lists in `__all__`."""
    private = []
    for _source, target, found in cross_imports():
        parts = found.target.split(".")
        if not (BOT / target).is_dir() or len(parts) < 3:
            continue
        if parts[2] not in public_modules(target):
            private.append(f"{found.file.relative_to(BOT.parent)}:{found.line}: {found.target}")
    assert private == []


@pytest.mark.parametrize("package", sorted(PURE))
def test_pure_packages_import_no_io_library(package: str) -> None:
    """sources, detection, texts and the watchlist import no database, HTTP or Slack library."""
    found = [
        f"{item.file.relative_to(BOT.parent)}:{item.line}: {item.target}"
        for file in sorted((BOT / package).rglob("*.py"))
        for item in runtime_imports(file)
        if item.target.split(".")[0] in IO_LIBRARIES
    ]
    assert found == []


def test_only_the_slack_package_imports_bolt() -> None:
    """slack_bolt is imported by bot/slack/ alone (the CLI starts it through bot.slack)."""
    found = [
        str(item.file.relative_to(BOT.parent))
        for file in bot_files()
        for item in runtime_imports(file)
        if item.target.split(".")[0] == "slack_bolt" and unit_of(module_name(file)) != "slack"
    ]
    assert found == []


def test_only_storage_defines_tables() -> None:
    """Declarative table classes and `Table(...)` appear in bot/storage/ only."""
    found = []
    for file in bot_files():
        if unit_of(module_name(file)) == "storage":
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and "__tablename__" in ast.unparse(node):
                found.append(f"{file.relative_to(BOT.parent)}: class {node.name}")
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("Table"):
                found.append(f"{file.relative_to(BOT.parent)}:{node.lineno}: Table(...)")
    assert found == []


def test_the_top_level_stays_small_and_packages_stay_readable() -> None:
    """At most 8 modules at bot/'s top level, at most 15 in any package."""
    top = [path.name for path in BOT.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL, top
    for package in (path for path in BOT.rglob("*") if (path / "__init__.py").is_file()):
        modules = list(package.glob("*.py"))
        assert len(modules) <= MAX_PER_PACKAGE, f"{package}: {len(modules)} modules"


def test_every_package_says_what_it_owns() -> None:
    """Each package's `__init__.py` opens with a docstring."""
    missing = [
        str(init.relative_to(BOT.parent))
        for init in BOT.rglob("__init__.py")
        if "migrations" not in init.parts and ast.get_docstring(ast.parse(init.read_text())) is None
    ]
    assert missing == []


def test_the_rule_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: an import of bot.slack from a texts module is reported as upward."""
    module = tmp_path / "example.py"
    module.write_text("from bot.slack import app\nif TYPE_CHECKING:\n    from bot.cli import x\n")
    targets = [item.target for item in runtime_imports(module)]
    assert targets == ["bot.slack.app"]
    assert layer_of(unit_of("bot.slack.app")) > layer_of("texts")
