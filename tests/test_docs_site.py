"""The documentation site's fast checks: every page in a nav, every public name with an API page,
links out of docs/ placed in the site, the tutorial notebook paired with its script.

The site itself is built by ``mkdocs build --strict`` in .ci/run (about a minute: it executes
the tutorial and renders every API page); these checks need neither mkdocs nor a build.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import negpos

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _load(name: str) -> ModuleType:
    module_name = f"negpos_docs_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, DOCS / "build" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


hooks = _load("hooks")
api = _load("api")


def _mkdocs_nav() -> list[Any]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav: list[Any] = config["nav"]
    return nav


def _pages_in_docs() -> list[str]:
    return sorted(
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if not path.is_relative_to(DOCS / "build")
    )


def test_every_page_in_docs_is_in_the_nav() -> None:
    nav = hooks.build_nav(_mkdocs_nav(), hooks.guide_pages(), [])
    missing = hooks.missing_from_nav(_pages_in_docs(), nav)
    assert missing == [], (
        f"{missing} in no nav: the nav follows docs/README.md's page table; add a row to "
        "docs/build/src/README.md and run python docs/build/build.py README.md"
    )


def test_the_guide_follows_the_readme_and_comes_after_home() -> None:
    guide = hooks.guide_pages()
    nav = hooks.build_nav(_mkdocs_nav(), guide, [])
    pages = hooks.nav_pages(nav)
    assert pages[0] == "README.md"
    named = set(hooks.nav_pages(_mkdocs_nav()))
    in_order = [page for _, page in guide if page not in named]
    assert pages[1 : 1 + len(in_order)] == in_order
    assert "file-format.md" in in_order
    for page in ("tutorial.md", "api/index.md"):
        assert page in pages


def test_every_public_name_has_one_api_page() -> None:
    entries = api.entries()
    pages: dict[str, str] = api.pages(entries)
    assert api.collisions(entries) == []
    top = {entry.name: entry for entry in entries if entry.module == "negpos"}
    assert set(top) == set(negpos.__all__)
    for entry in entries:
        assert f"::: {entry.qualified}\n" in pages[entry.page], entry
    for name in negpos.__all__:
        assert top[name].home == "negpos"  # the most public place is its page
        assert f"[`{name}`](negpos/" in pages["api/index.md"]
    # Names that differ only in case get pages that do not share a file anywhere.
    assert top["Agreement"].page != top["agreement"].page


def test_every_public_module_lists_its_names_in_the_index() -> None:
    entries = api.entries()
    index: str = api.pages(entries)["api/index.md"]
    for module_name in api.public_modules():
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            assert any(e.module == module_name and e.name == name for e in entries)
        if getattr(module, "__all__", ()):
            assert f"## `{module_name}`" in index


def test_a_new_public_name_gets_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from negpos import corpus

    def brand_new() -> None:
        """A name added to an __all__."""

    monkeypatch.setattr(corpus, "brand_new", brand_new, raising=False)
    monkeypatch.setattr(corpus, "__all__", [*corpus.__all__, "brand_new"])
    pages: dict[str, str] = api.pages()
    assert "::: negpos.corpus.brand_new\n" in pages["api/negpos.corpus/brand_new.md"]


@pytest.mark.parametrize(
    ("target", "uri"),
    [
        ("docs/cli.md", "cli.md"),
        ("docs/examples/northland-2024-03-04.yaml", "examples/northland-2024-03-04.yaml"),
        ("docs/examples", "examples/index.md"),
        ("docs/build/build.py", "repo/docs/build/build.py"),
        ("README.md", "repo/README.md"),
        ("benchmarks", "repo/benchmarks/README.md"),
        ("examples/ukraine", "repo/examples/ukraine/index.md"),
        ("examples/ukraine/us-2025-04-17.yaml", "repo/examples/ukraine/us-2025-04-17.yaml"),
    ],
)
def test_where_repository_files_are_in_the_site(target: str, uri: str) -> None:
    assert hooks.site_uri(ROOT / target) == uri


def test_links_out_of_docs_go_to_the_copies_and_the_rest_stay() -> None:
    page = (
        "See [the quick start](../README.md#quick-start), [the wages](../examples/ukraine/), "
        "[the CLI](cli.md#negpos-check), [an example](examples/northland-2024-03-04.yaml), "
        "[a folder](examples/) and [the web](https://example.org/x).\n\n"
        "```console\n$ cat [not a link](../README.md)\n```\n"
    )
    rewritten = hooks.rewrite_links(page, DOCS / "README.md", "README.md")
    assert "[the quick start](repo/README.md#quick-start)" in rewritten
    assert "[the wages](repo/examples/ukraine/index.md)" in rewritten
    assert "[the CLI](cli.md#negpos-check)" in rewritten
    assert "[an example](examples/northland-2024-03-04.yaml)" in rewritten
    assert "[a folder](examples/index.md)" in rewritten
    assert "[the web](https://example.org/x)" in rewritten
    assert "$ cat [not a link](../README.md)" in rewritten  # code is left as it is


def test_a_copied_page_links_back_into_the_guide() -> None:
    rewritten = hooks.rewrite_links(
        "[the guide](docs/cli.md)", ROOT / "README.md", "repo/README.md"
    )
    assert rewritten == "[the guide](../cli.md)"


def test_the_tutorial_notebook_holds_the_scripts_cells() -> None:
    pytest.importorskip("jupytext", reason="the docs extra: pip install -e '.[docs]'")
    notebook = _load("notebook")
    assert notebook.pairing_problem() is None
