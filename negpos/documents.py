"""Reading YAML and JSON documents while remembering the line of every field.

Validation errors are only useful to a researcher if they point at the line to fix, so a
document is parsed twice over the same text: once into plain data, once into a map from
each field's path to its line. The YAML dialect is deliberately narrow: no implicit dates
(pydantic parses them and reports a bad one as a field error), booleans only as
``true``/``false`` (so the party ``NO`` stays Norway), and duplicate keys are an error
rather than the last one silently winning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from negpos.errors import Problem

__all__ = ["Document", "parse_document", "problems_from_validation_error", "read_document"]

Loc = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: plain data, nothing surprising."""


# Start from SafeLoader's resolvers, drop the YAML 1.1 ones that guess too much (yes/no/on/off
# booleans, dates, sexagesimal 1:30 = 90, octal 012 = 10, floats that need a dot: 2e9 a string)
# and put YAML 1.2 core-schema ones in their place.
_GUESSING = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
)
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _GUESSING]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # 012 is twelve, as in YAML 1.2


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _loader_class() -> type[yaml.SafeLoader]:
    """The same dialect on libyaml's C parser when PyYAML has it (about 5x faster)."""
    if not getattr(yaml, "__with_libyaml__", False):
        return _StrictLoader
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # the stubs omit it

    class _StrictCLoader(CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _StrictCLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    _StrictCLoader.yaml_constructors = _StrictLoader.yaml_constructors
    return _StrictCLoader  # type: ignore[return-value]


_Loader = _loader_class()


def _parse_yaml(text: str, name: str) -> tuple[dict[Loc, int], Any]:
    """Parse once: the node tree gives the lines, then the same tree gives the data."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, None
        lines = _map_lines(node, name)
        return lines, loader.construct_document(node)
    finally:
        loader.dispose()


@dataclass(frozen=True, slots=True)
class Document:
    """Parsed data and where each of its fields stands in the file."""

    name: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Iterable[str | int]) -> int | None:
        """The line of the deepest part of ``loc`` that the file spells out."""
        path = tuple(loc)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def read_document(path: str | Path) -> Document:
    """Read a ``.yaml``/``.yml``/``.json`` file; raise ``DocumentError`` naming the line of bad syntax."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")  # a byte-order mark is not data
    except FileNotFoundError:
        raise DocumentError([Problem(str(file), None, None, "no such file")]) from None
    except IsADirectoryError:
        raise DocumentError(
            [Problem(str(file), None, None, "is a directory, not a file")]
        ) from None
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [Problem(str(file), None, None, f"not UTF-8 text ({exc.reason})")]
        ) from None
    return parse_document(text, name=str(file), as_json=file.suffix.lower() == ".json")


def parse_document(text: str, *, name: str = "<string>", as_json: bool = False) -> Document:
    """Parse YAML (or JSON) text into data plus a line map."""
    if not text.strip():
        raise DocumentError([Problem(name, None, None, "the file is empty")])
    if as_json:
        try:
            data = json.loads(text, object_pairs_hook=_refuse_duplicates)
        except RecursionError:
            raise DocumentError(
                [Problem(name, None, None, "the data is nested too deeply")]
            ) from None
        except json.JSONDecodeError as exc:
            raise DocumentError(
                [Problem(name, exc.lineno, None, f"invalid JSON: {exc.msg}")]
            ) from None
        except _DuplicateKeyError as exc:
            _json_lines(text, name)  # raises with the line, when YAML can read the text
            raise DocumentError([Problem(name, None, exc.key, "duplicate key")]) from None
        return Document(name, data, _json_lines(text, name))
    try:
        lines, data = _parse_yaml(text, name)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "malformed YAML"
        raise DocumentError([Problem(name, line, None, f"invalid YAML: {reason}")]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([Problem(name, None, None, f"invalid YAML: {exc}")]) from None
    except ValueError as exc:  # a scalar the constructor rejects, e.g. an out-of-range number
        raise DocumentError([Problem(name, None, None, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise DocumentError([Problem(name, None, None, "the data is nested too deeply")]) from None
    if data is None:
        raise DocumentError([Problem(name, None, None, "the file holds no data")])
    return Document(name, data, lines)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _json_lines(text: str, name: str) -> dict[Loc, int]:
    """Line numbers for JSON, read through YAML (JSON is YAML); empty if YAML cannot."""
    try:  # raises DocumentError on a duplicate key, with its line
        lines, _ = _parse_yaml(text, name)
    except (yaml.YAMLError, ValueError, RecursionError):
        return {}
    return lines


def _map_lines(root: yaml.Node, name: str) -> dict[Loc, int]:
    """Each field's line; refuses duplicate keys and anchors/aliases (data is written out)."""
    lines: dict[Loc, int] = {(): root.start_mark.line + 1}
    visited: set[int] = set()
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, path = stack.pop()
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
            seen: dict[object, int] = {}
            for key_node, value_node in node.value:
                key: str | int = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                line = key_node.start_mark.line + 1
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
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                stack.append((item, (*path, index)))
    return lines


def dotted_field(loc: Iterable[str | int]) -> str:
    """``territory[0].control.evidence[1].quote``: a location as negpos names fields."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems_from_validation_error(error: ValidationError, document: Document) -> list[Problem]:
    """Turn pydantic's errors into negpos problems, each with its file, line and field."""
    items = error.errors(include_url=False)
    # "too short" on a list whose items had errors only repeats them: the bad item was dropped.
    inner = [tuple(i["loc"]) for i in items]
    problems = []
    for item in items:
        outer = tuple(item["loc"])
        if item["type"] == "too_short" and any(
            len(other) > len(outer) and other[: len(outer)] == outer for other in inner
        ):
            continue
        loc = tuple(part for part in item["loc"] if not _is_internal(part))
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (check its spelling; see `negpos schema`)"
        elif item["type"] == "missing":
            message = "required field is missing"
        elif item["type"] == "bool_type":
            message = "expected true or false"
        elif item["type"] == "string_pattern_mismatch":
            field = next((p for p in reversed(loc) if isinstance(p, str)), "")
            message = _PATTERN_HINTS.get(field, _PATTERN_HINTS["id"])
        problems.append(
            Problem(document.name, document.line_of(loc), dotted_field(loc) or None, message)
        )
    return problems


_PATTERN_HINTS = {
    "url": "expected a web address starting with http:// or https://, without spaces",
    "iso_3166_2": "expected an ISO 3166-2 code such as UA-43",
    "region": "expected a region id: lower-case letters, digits and _",
    "id": "expected an id: letters, digits, _ and - (no spaces or dots), starting with a letter or digit",
}


def _is_internal(part: str | int) -> bool:
    # pydantic inserts validator names such as "function-after[...]" into some locations.
    return isinstance(part, str) and ("[" in part and part.endswith("]"))


class DocumentError(Exception):
    """Raised with the problems of an unreadable document; wrapped by the caller's error type."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
