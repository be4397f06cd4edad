"""The one-walk YAML reader gives what the two-pass reader gave: data, types, key order, lines
and problems; the lean resolver tags as PyYAML's does; a folder load pauses the garbage
collector and always restores it.

The reference below is the reader as it was before the one walk: ``_map_lines`` over the node
tree, then PyYAML's constructors over the same tree, on a loader with PyYAML's own
``Resolver.resolve`` and the original whole-number constructor.
"""

from __future__ import annotations

import gc
import inspect
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negpos.files
from negpos import documents
from negpos.documents import MAX_DEPTH, DocumentError, Loc, dotted_field
from negpos.errors import Problem, ProposalFileError
from negpos.files import dump, load, load_dir

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------ the reader as it was


def _old_construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _reference_loader() -> type[yaml.SafeLoader]:
    """negpos's dialect on PyYAML's stock resolver and the original constructors."""
    bases: tuple[type, ...] = (yaml.SafeLoader,)
    if getattr(yaml, "__with_libyaml__", False):
        from yaml.cyaml import CParser  # type: ignore[attr-defined]

        bases = (CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver)

    def init(self: Any, stream: str) -> None:
        if len(bases) == 1:
            yaml.SafeLoader.__init__(self, stream)
            return
        CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    constructors = dict(documents._StrictLoader.yaml_constructors)
    constructors["tag:yaml.org,2002:int"] = _old_construct_int
    namespace = {
        "__init__": init,
        "yaml_implicit_resolvers": documents._StrictLoader.yaml_implicit_resolvers,
        "yaml_constructors": constructors,
    }
    return type("ReferenceLoader", bases, namespace)


_ReferenceLoader = _reference_loader()
_TOO_DEEP = "the data is nested too deeply"


def _old_map_lines(root: yaml.Node, name: str) -> dict[Loc, int]:
    """``documents._map_lines`` as it was."""
    lines: dict[Loc, int] = {(): root.start_mark.line + 1}
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise DocumentError([Problem(name, node.start_mark.line + 1, None, _TOO_DEEP)])
        if isinstance(node, yaml.ScalarNode):
            _old_check_number(node, path, name)
            continue
        if id(node) in visited:
            raise DocumentError(
                [
                    Problem(
                        name,
                        node.start_mark.line + 1,
                        dotted_field(path) or None,
                        "anchors and aliases (& and *) are not supported: write the data out",
                    )
                ]
            )
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            _old_map_keys(node, path, name, lines, stack)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                stack.append((item, (*path, index)))
    return lines


def _old_map_keys(
    node: yaml.MappingNode,
    path: Loc,
    name: str,
    lines: dict[Loc, int],
    stack: list[tuple[yaml.Node, Loc]],
) -> None:
    seen: dict[object, int] = {}
    for key_node, value_node in node.value:
        key: str | int = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
        line = key_node.start_mark.line + 1
        if isinstance(key_node, yaml.ScalarNode):
            _old_check_number(key_node, path, name)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise DocumentError(
                [
                    Problem(
                        name,
                        line,
                        dotted_field(path) or None,
                        "merge keys (<<) are not supported: write the fields out",
                    )
                ]
            )
        if key in seen:
            raise DocumentError(
                [
                    Problem(
                        name,
                        line,
                        dotted_field((*path, key)),
                        f"duplicate key (first written on line {seen[key]})",
                    )
                ]
            )
        seen[key] = line
        lines[(*path, key)] = line
        stack.append((value_node, (*path, key)))


def _old_check_number(node: yaml.ScalarNode, path: Loc, name: str) -> None:
    if node.tag != "tag:yaml.org,2002:int":
        return
    digits = len(node.value.lstrip("+-"))
    limit = sys.get_int_max_str_digits()
    if limit and digits > limit and node.value.lstrip("+-").isdigit():
        raise DocumentError(
            [
                Problem(
                    name,
                    node.start_mark.line + 1,
                    dotted_field(path) or None,
                    documents._too_long_number(digits),
                )
            ]
        )


def _old_parse_yaml(text: str, name: str) -> tuple[dict[Loc, int], Any]:
    loader = _ReferenceLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        lines = _old_map_lines(node, name)
        return lines, loader.construct_document(node)
    finally:
        loader.dispose()


# ------------------------------------------------------------------ comparing outcomes


def _typed(value: Any) -> Any:
    """``value`` with every type spelled out: 1, 1.0 and True differ, NaN equals NaN, dict
    keys keep their order."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, repr(value))


def _outcome(parse: Callable[[str, str], Any], text: str) -> Any:
    """What parsing ``text`` gives: data and lines, or the problems, or the error raised."""
    try:
        lines, data = parse(text, "doc.yaml")
    except DocumentError as exc:
        return ("problems", exc.problems)
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("parsed", lines, _typed(data))


def _same(text: str) -> None:
    assert _outcome(documents._parse_yaml, text) == _outcome(_old_parse_yaml, text), text


# ------------------------------------------------------------------ generated documents

_NUMBERS = (
    "0", "7", "-3", "+5", "007", "012", "0x1F", "0xff", "0o17", "0o8", "0b101", "1e3", "1E3",
    "-1.5e-3", "2e9", ".5", "-.5", "+.5", "1.", "1.50", "6.02e+23", ".inf", "-.Inf", "+.INF",
    ".nan", ".NaN", ".NAN", "-.NaN", "1_000", "1:30", "-0", "-0.0", "0.0", "1e400", "-1e400",
    "12345678901234567890123", "0x", "0o", "9" * 40,
)  # fmt: skip
_WORDS = (
    "true", "True", "TRUE", "false", "False", "FALSE", "tRUE", "yes", "Yes", "no", "NO", "on",
    "On", "off", "OFF", "y", "n", "Y", "N", "~", "null", "Null", "NULL", "nULL", "=",
    "2024-03-04", "2024-03-04 10:00:00", "hello", "a b", "Party AA", "S1", "ü", "a:b",
)  # fmt: skip
_QUOTED = (
    "''", '""', "'123'", '"true"', "'~'", '"null"', "'0x1F'", '"1e3"', '"a\\tb"', "'it''s'",
    '"\\u00e9"', '"line\\nbreak"', "' lead'",
)  # fmt: skip
_TAGGED = (
    "!!str 12", "!!str true", "!!int 12", "!!int 0x1F", "!!int 1_000", "!!int abc", "!!int ''",
    "!!float 1", "!!float 1:30", "!!float ''", "!!float abc", "!!float .NaN", "!!bool yes",
    "!!bool maybe", "!!bool ''", "!!null x", "<<", "!!binary aGVsbG8=", "!!binary +++", "!!timestamp "
    "2024-03-04", "!foo bar", "!!value x", "!!merge x", "! 12", "&a 1", "*a", "*m", "!!set x",
)  # fmt: skip
_PLAIN_KEYS = (
    "a", "b", "id", "NO", "1", "01", "0x1", "1.0", "1.5", "true", "True", "yes", "~", "null",
    "''", '"a"', "'1'", ".nan", ".NaN", "-0", "0", "9" * 30, "c", "d", "name", "x_y", "2",
    "-1", "+1", "0o7", "1e3", "false", "on", "off", "Null", "'a b'", "é", "=", "-.inf", "2.50",
)  # fmt: skip
_ODD_KEYS = (
    "<<",
    "!!binary aGk=",
    "!!int 1",
    "!foo k",
    "!!value v",
    "? [x]",
    "? {x: 1}",
    "&k a",
    "*k",
)
_KEYS = _PLAIN_KEYS + _ODD_KEYS

_plain_scalar_text = st.one_of(
    st.sampled_from(_NUMBERS + _WORDS + _QUOTED),
    st.integers().map(str),
    st.floats().map(repr),
    st.just(""),
    st.sampled_from(("|", ">", "|-", ">+")).map(lambda style: style + "\n"),  # block scalars
)


def _tree(*, odd: bool) -> st.SearchStrategy[Any]:
    """A document as nested ("scalar", text), ("seq", items, flags), ("map", pairs, flags);
    ``odd`` adds explicit tags, anchors, aliases, merge keys and complex keys."""
    scalars = st.one_of(_plain_scalar_text, st.sampled_from(_TAGGED)) if odd else _plain_scalar_text
    keys = st.sampled_from(_KEYS if odd else _PLAIN_KEYS)
    prefixes = ("", "", "", "&m ", "!!set ", "!!omap ") if odd else ("",)

    def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        flags = st.tuples(st.booleans(), st.sampled_from(prefixes))
        return st.one_of(
            st.tuples(st.just("seq"), st.lists(children, max_size=4), flags),
            st.tuples(st.just("map"), st.lists(st.tuples(keys, children), max_size=4), flags),
        )

    return st.recursive(st.tuples(st.just("scalar"), scalars), containers, max_leaves=25)


def _flow(node: Any) -> str:
    kind, body = str(node[0]), node[1]
    if kind == "scalar":  # no block scalars in flow, and an empty member is a syntax error
        return '"block in flow"' if body.endswith("\n") else str(body or "~")
    prefix = str(node[2][1])
    if kind == "seq":
        return prefix + "[" + ", ".join(_flow(item) for item in body) + "]"
    pairs = ", ".join(f"{_flow_key(key)}: {_flow(value)}" for key, value in body)
    return prefix + "{" + pairs + "}"


def _flow_key(key: str) -> str:
    return key[2:] if key.startswith("? ") else key


def _block(node: Any, indent: int) -> list[str]:
    """Lines of ``node`` written in block style at ``indent`` (flow where it says so)."""
    kind, body = node[0], node[1]
    pad = " " * indent
    if kind == "scalar":
        return [pad + _flow(node)]
    flow, prefix = node[2]
    if flow or not body:
        return [pad + _flow(node)]
    lines: list[str] = []
    if prefix:
        lines.append(pad + prefix.strip())
    for member in body:
        key, value = (None, member) if kind == "seq" else member
        lead = f"{pad}- " if key is None else f"{pad}{key}:"
        lines.extend(_member(lead, value, indent))
    return lines


def _member(lead: str, value: Any, indent: int) -> list[str]:
    if value[0] == "scalar" and value[1].endswith("\n"):  # a block scalar
        return [f"{lead.rstrip()} {value[1].strip()}", " " * (indent + 2) + "text", ""]
    if value[0] == "scalar" or value[2][0] or not value[1]:
        return [f"{lead.rstrip()} {_flow(value)}".rstrip()]
    return [lead.rstrip(), *_block(value, indent + 2)]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tree(odd=False))
def test_the_one_walk_reads_generated_yaml_as_the_two_passes_did(tree: Any) -> None:
    _same("\n".join(_block(tree, 0)) + "\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tree(odd=True))
def test_the_one_walk_reads_tags_anchors_and_merge_keys_as_the_two_passes_did(tree: Any) -> None:
    _same("\n".join(_block(tree, 0)) + "\n")


@settings(max_examples=200, deadline=None)
@given(_tree(odd=False) | _tree(odd=True))
def test_the_one_walk_reads_generated_flow_yaml_as_the_two_passes_did(tree: Any) -> None:
    _same(_flow(tree) + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "a: {x: 1, x: 2}\nb: [1, {y: 1, y: 2}]\n",  # two problems: the same one is reported
        "a: " + "9" * 5000 + "\nb: {x: 1, x: 2}\n",
        "a: {x: 1, x: 2}\nb: " + "9" * 5000 + "\n",
        "? " + "9" * 5000 + "\n: 1\n",
        "- &a [1]\n- *a\n",
        "a: &s 1\nb: *s\n",  # an alias of a scalar passes, as it did
        "&r [*r]\n",
        "base: &b {x: 1}\nother:\n  <<: *b\n",
        "1: a\n01: b\n'1': c\n",  # 1 and 01 the same number; '1' a duplicate spelling
        "1: a\ntrue: b\n1.0: c\n",
        ".nan: a\n.NaN: b\n",
        "? [a]\n: 1\n? [b]\n: 2\n",
        "!!set {a, b}\n",
        "!!omap [a: 1, b: 2]\n",
        "x: !!binary aGVsbG8=\ny: !!bool maybe\n",
        "x: !!int abc\ny: {z: 1, z: 2}\n",
        "x: !!float ''\n",
        "!!value k: v\n",
        "!!str {a: 1}\n",
        "!!map [1]\n",
        "just text\n",
        "42\n",
        "9" * 5000 + "\n",
        "---\n",
        "",
        "- \n- ~\n- null\n-\n",
    ],
)
def test_edge_cases_read_as_before(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 5])
def test_deep_nesting_reads_as_before(depth: int) -> None:
    _same("[" * depth + "1" + "]" * depth + "\n")
    _same("{a: " * depth + "1" + "}" * depth + "\n")
    _same("{a: " * depth + "[]" + "}" * depth + "\n")
    _same("[{x: 1, x: 2}, " + "[" * depth + "1" + "]" * depth + "]\n")
    _same("[" + "[" * depth + "1" + "]" * depth + ", {x: 1, x: 2}]\n")


def _shipped_yaml() -> list[Path]:
    found = [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("negpos/codebooks/**/*.yaml")]
    return sorted(found)


def test_there_are_shipped_files() -> None:
    assert len(_shipped_yaml()) > 5


@pytest.mark.parametrize("path", _shipped_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_files_read_as_before(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


def test_written_proposals_read_as_before(tmp_path: Path) -> None:
    """Proposals as negpos writes them: quoted look-alikes, dates, numbers, long texts."""
    written = 0
    for source in sorted(ROOT.glob("examples/**/*.yaml")):
        try:
            proposal = load(source)
        except ProposalFileError:
            continue
        _same(dump(proposal, tmp_path / "p.yaml").read_text(encoding="utf-8"))
        written += 1
    assert written >= 3


# ------------------------------------------------------------------ the lean resolver

_stock = yaml.resolver.Resolver()
_stock.yaml_implicit_resolvers = documents._StrictLoader.yaml_implicit_resolvers


def _both_resolve(kind: type[yaml.Node], value: str | None, implicit: Any) -> None:
    lean = documents._LeanResolver()
    stock = _stock.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
    assert lean.resolve(kind, value, implicit) == stock


@settings(max_examples=800)
@given(
    st.one_of(
        st.text(max_size=12),
        st.text(alphabet="0123456789+-._eExXoObBaAfFiInNtTrRuUlLsS~:", max_size=10),
        st.sampled_from(_NUMBERS + _WORDS + _KEYS),
    ),
    st.tuples(st.booleans(), st.booleans()),
)
def test_the_lean_resolver_tags_scalars_as_pyyaml_does(value: str, implicit: Any) -> None:
    _both_resolve(yaml.ScalarNode, value, implicit)


@pytest.mark.parametrize("implicit", [True, False])
def test_the_lean_resolver_tags_containers_as_pyyaml_does(implicit: bool) -> None:
    _both_resolve(yaml.SequenceNode, None, implicit)
    _both_resolve(yaml.MappingNode, None, implicit)


def test_the_loaders_use_the_lean_resolver_and_no_path_resolvers() -> None:
    for loader in (documents._Loader, documents._StrictLoader):
        lean = inspect.getattr_static(documents._LeanResolver, "resolve")
        assert inspect.getattr_static(loader, "resolve") is lean
        assert not loader.yaml_path_resolvers
    table = documents._StrictLoader.yaml_implicit_resolvers
    assert None not in table
    assert {first: list(found) for first, found in documents._IMPLICIT_BY_FIRST.items()} == table


def test_the_pure_python_loader_reads_as_the_c_one() -> None:
    text = (ROOT / "negpos" / "codebooks" / "default.yaml").read_text(encoding="utf-8")
    assert yaml.load(text, Loader=documents._StrictLoader) == yaml.load(
        text, Loader=_ReferenceLoader
    )


# ------------------------------------------------------------------ the garbage collector


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _folder(tmp_path: Path, *, bad: bool = False) -> Path:
    source = sorted((ROOT / "examples").glob("**/*.yaml"))
    folder = tmp_path / "proposals"
    folder.mkdir(parents=True)
    written = 0
    for path in source:
        try:
            proposal = load(path)
        except ProposalFileError:
            continue
        dump(proposal, folder / f"p{written}.yaml")
        written += 1
        if written == 3:
            break
    assert written == 3
    if bad:
        (folder / "zz_bad.yaml").write_text("id: x\nid: y\n", encoding="utf-8")
    return folder


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_paused_during_a_folder_load_and_on_again_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path)
    states: list[bool] = []
    real_load = negpos.files.load

    def recording_load(*args: Any, **kwargs: Any) -> Any:
        states.append(gc.isenabled())
        return real_load(*args, **kwargs)

    monkeypatch.setattr(negpos.files, "load", recording_load)
    assert len(load_dir(folder).proposals) == 3
    assert states == [False, False, False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_on_again_after_a_bad_file(tmp_path: Path) -> None:
    with pytest.raises(ProposalFileError):
        load_dir(_folder(tmp_path, bad=True))
    assert gc.isenabled()
    assert len(load_dir(_folder(tmp_path / "b", bad=True), skip_invalid=True).proposals) == 3
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_is_on_again_after_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_load(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(negpos.files, "load", broken_load)
    with pytest.raises(RuntimeError):
        load_dir(_folder(tmp_path))
    assert gc.isenabled()


def test_a_collector_the_caller_paused_stays_paused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    was = gc.isenabled()
    gc.disable()
    try:
        load_dir(folder)
        assert not gc.isenabled()
        with pytest.raises(ProposalFileError):
            load_dir(_folder(tmp_path / "b", bad=True))
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
