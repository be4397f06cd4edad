"""Imports run one way: cli -> reports -> engine -> positions -> model -> codebook/values."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "negpos"

# Lower number = lower layer; a module may import only from its own layer or lower ones.
LAYERS = {
    "negpos._version": 0,
    "negpos.errors": 0,
    "negpos.values": 0,
    "negpos.documents": 1,
    "negpos.codebook": 2,
    "negpos.model": 3,
    "negpos.files": 4,
    "negpos.positions": 4,
    "negpos.schema": 4,  # the JSON Schema of proposal files, built from the model
    "negpos.corpus": 4,
    "negpos.engine": 5,
    "negpos.provenance": 6,  # reads the engine's judgements; the engine never reads it
    "negpos.bargaining": 6,  # between the engine and the reports; neither reads it back
    "negpos.interop": 6,  # crosswalks to other datasets (PA-X), above the corpus and engine
    "negpos.reports": 7,
    "negpos.cli": 8,
    "negpos.__main__": 9,
}


def _layer(module: str) -> int | None:
    for prefix, layer in sorted(LAYERS.items(), key=lambda kv: -len(kv[0])):
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_has_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        if name != "negpos":
            assert _layer(name) is not None, f"{name} has no layer in the architecture test"


def test_imports_point_down_only() -> None:
    offences = []
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        if name == "negpos":
            continue  # the package root re-exports lazily from every layer
        own = _layer(name)
        assert own is not None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("negpos")
            ):
                target = _layer(node.module)
                if target is not None and target > own:
                    offences.append(f"{name} imports {node.module}")
    assert offences == []
