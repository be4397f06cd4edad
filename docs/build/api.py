"""Generate the API reference: one page per public name, from the ``__all__`` of negpos's public modules.

    python docs/build/api.py                  # check the pages can be made; say how many
    python docs/build/api.py --out DIR        # also write them to DIR/api/ to read
    python docs/build/api.py --check-site DIR # exit 1 if a built site (mkdocs build -d DIR) lacks one

A public module is ``negpos`` itself, every module or package directly under it (``negpos.corpus``,
``negpos.reports``, ``negpos.bargaining``, ``negpos.interop``, ...; not the command line, whose
reference is the guide's cli.md), every module under ``negpos.interop``, and the deeper modules the
guide teaches (``DEEPER_MODULES``). Each name in a public module's ``__all__`` gets one page, at the
most public place it is exported from (``negpos.Comparison``, not ``negpos.reports.Comparison``):
``api/<module>/<name>.md`` in the site, holding a mkdocstrings ``::: <module>.<name>`` block that
renders the docstring and signature. ``api/index.md`` lists every public module's names with the
first line of their docstrings, each linked to its page. The pages are made at each build of the
site (docs/build/hooks.py), never committed, so a name added to an ``__all__`` has its page in the
next build with nothing to regenerate; the build then checks that the site has them all.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[2]
HEADER = "<!-- Made by docs/build/api.py from the __all__ of negpos's public modules. -->"

# Modules below the first level that the guide teaches by their full path.
DEEPER_MODULES = (
    "negpos.engine.grid",
    "negpos.engine.matrix",
    "negpos.engine.timeline",
    "negpos.provenance.agreement",
    "negpos.provenance.archive",
    "negpos.provenance.check",
    "negpos.reports.figures",
    "negpos.reports.page",
)
# First-level modules that are not a library API.
EXCLUDED = ("negpos.cli",)

Kind = Literal["class", "function", "data"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One public name: where it is exported (``module``) and where its page is (``home``)."""

    module: str  # the public module whose __all__ lists the name
    name: str
    kind: Kind
    summary: str  # the first line of its docstring ("" for data)
    home: str  # the most public module exporting the same object; its page is there
    stem: str  # the page's file name without .md, in the home module's folder

    @property
    def qualified(self) -> str:
        return f"{self.home}.{self.name}"

    @property
    def page(self) -> str:
        """The page's path under docs/, e.g. ``api/negpos/Comparison.md``."""
        return f"api/{self.home}/{self.stem}.md"


def public_modules() -> list[str]:
    """The public modules, most public first: negpos, then the first level, then deeper ones."""
    import negpos

    first = sorted(
        f"negpos.{info.name}"
        for info in pkgutil.iter_modules(negpos.__path__)
        if not info.name.startswith("_") and f"negpos.{info.name}" not in EXCLUDED
    )
    interop = []
    if importlib.util.find_spec("negpos.interop") is not None:
        package = importlib.import_module("negpos.interop")
        interop = sorted(
            f"negpos.interop.{info.name}"
            for info in pkgutil.iter_modules(getattr(package, "__path__", []))
            if not info.name.startswith("_")
        )
    deeper = [name for name in DEEPER_MODULES if importlib.util.find_spec(name) is not None]
    return ["negpos", *first, *interop, *deeper]


def _kind(value: object) -> Kind:
    if inspect.isclass(value):
        return "class"
    if inspect.isroutine(value):
        return "function"
    return "data"


def _summary(value: object, kind: Kind) -> str:
    if kind == "data":
        return ""  # a constant's __doc__ is its type's
    doc = value.__dict__.get("__doc__") if kind == "class" else getattr(value, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return ""
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    return " ".join(paragraph.split())


def _identity(value: object, name: str, kind: Kind) -> tuple[object, ...]:
    if kind == "data":
        return ("data", id(value), name)  # a re-exported constant is the same object
    return (kind, getattr(value, "__module__", None), getattr(value, "__qualname__", name))


def entries() -> list[Entry]:
    """Every public module's every ``__all__`` name, each pointing to its one page."""
    homes: dict[tuple[object, ...], str] = {}
    found: list[tuple[str, str, Kind, str, tuple[object, ...]]] = []
    for module_name in public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            kind = _kind(value)
            identity = _identity(value, name, kind)
            homes.setdefault(identity, module_name)
            found.append((module_name, name, kind, _summary(value, kind), identity))
    # Names that differ only in case (negpos.Agreement, negpos.agreement) would share a file on
    # case-insensitive file systems: both pages then say what they document in their file name.
    lowered: dict[tuple[str, str], int] = {}
    for module_name, name, _, _, identity in found:
        if homes[identity] == module_name:
            key = (module_name, name.lower())
            lowered[key] = lowered.get(key, 0) + 1
    result = []
    for module_name, name, kind, summary, identity in found:
        home = homes[identity]
        stem = name if lowered[(home, name.lower())] == 1 else f"{name}-{kind}"
        result.append(Entry(module_name, name, kind, summary, home, stem))
    # Shown in module order (negpos first); a name's home was chosen by how public its module is.
    return sorted(result, key=lambda entry: (entry.module != "negpos", entry.module))


def _page(entry: Entry, exported_from: list[str]) -> str:
    elsewhere = [m for m in exported_from if m != entry.home]
    also = ""
    if elsewhere:
        also = "\n*Also exported from " + ", ".join(f"`{m}`" for m in elsewhere) + ".*\n"
    return f"---\ntitle: {entry.qualified}\n---\n\n{HEADER}\n\n::: {entry.qualified}\n{also}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _index(all_entries: list[Entry]) -> str:
    modules: dict[str, list[Entry]] = {}
    for entry in all_entries:
        modules.setdefault(entry.module, []).append(entry)
    lines = [
        "---",
        "title: API reference",
        "---",
        "",
        HEADER,
        "",
        "# API reference",
        "",
        "Every public name of negpos, one page each, rendered from its docstring and signature.",
        "The names in `negpos` are the ones most code needs (`negpos.load`, `negpos.compare`);",
        "the modules after it hold the rest, each listing what its `__all__` exports. A name",
        "exported from several modules has one page, at the first of them.",
        "",
    ]
    for module_name, module_entries in modules.items():
        lines += [f"## `{module_name}`", "", "| Name | Kind | What it is |", "|---|---|---|"]
        for entry in sorted(module_entries, key=lambda e: (e.name.lower(), e.name)):
            link = f"[`{entry.name}`]({entry.page.removeprefix('api/')})"
            lines.append(f"| {link} | {entry.kind} | {_cell(entry.summary)} |")
        lines.append("")
    return "\n".join(lines)


def pages(all_entries: list[Entry] | None = None) -> dict[str, str]:
    """Every generated file's text, keyed by its path under docs/ (``api/index.md``, ...)."""
    all_entries = entries() if all_entries is None else all_entries
    exported_from: dict[str, list[str]] = {}
    for entry in all_entries:
        exported_from.setdefault(entry.page, []).append(entry.module)
    result = {"api/index.md": _index(all_entries)}
    for entry in all_entries:
        if entry.module == entry.home:
            result[entry.page] = _page(entry, exported_from[entry.page])
    return result


def collisions(all_entries: list[Entry]) -> list[str]:
    """Pages that would share a file, on any file system (names are compared case-folded)."""
    seen: dict[str, str] = {}
    problems = []
    for entry in all_entries:
        if entry.module != entry.home:
            continue
        key = entry.page.casefold()
        if key in seen:
            problems.append(f"{entry.module}.{entry.name} and {seen[key]}: {entry.page}")
        seen[key] = f"{entry.module}.{entry.name}"
    return problems


def check_site(site: Path, all_entries: list[Entry] | None = None) -> list[str]:
    """What a built site lacks: each public name's page, rendered by mkdocstrings (its anchor)."""
    all_entries = entries() if all_entries is None else all_entries
    missing = []
    for entry in all_entries:
        built = site / entry.page.removesuffix(".md") / "index.html"
        if not built.is_file():
            missing.append(f"{entry.module}.{entry.name}: no page {built.relative_to(site)}")
        elif f'id="{entry.qualified}"' not in built.read_text(encoding="utf-8"):
            missing.append(
                f"{entry.module}.{entry.name}: {built.relative_to(site)} does not render it"
            )
    return missing


def main() -> int:
    args = sys.argv[1:]
    all_entries = entries()
    if "--check-site" in args:
        site = Path(args[args.index("--check-site") + 1])
        missing = check_site(site, all_entries)
        if missing:
            print("the built site lacks API pages:\n  " + "\n  ".join(missing))
            return 1
        top = sum(entry.module == "negpos" for entry in all_entries)
        print(f"the site has a page for each of {len(all_entries)} public names ({top} in negpos)")
        return 0
    problems = collisions(all_entries)
    if problems:
        print("API pages that would share a file:\n  " + "\n  ".join(problems))
        return 1
    generated = pages(all_entries)
    if "--out" in args:
        out = Path(args[args.index("--out") + 1])
        for path, text in generated.items():
            (out / path).parent.mkdir(parents=True, exist_ok=True)
            (out / path).write_text(text, encoding="utf-8")
    modules = len({entry.module for entry in all_entries})
    print(f"{len(all_entries)} public names in {modules} modules: {len(generated)} API pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
