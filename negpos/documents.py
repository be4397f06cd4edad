"""Reading YAML and JSON documents while remembering the line of every field.

Validation errors are only useful to a researcher if they point at the line to fix, so one
parse of the text gives both the plain data and a map from each field's path to its line.
The YAML dialect is deliberately narrow: no implicit dates (pydantic parses them and reports
a bad one as a field error), booleans only as ``true``/``false`` (so the party ``NO`` stays
Norway), and duplicate keys are an error rather than the last one silently winning.

A file is someone else's input. Before anything is parsed, only regular files are opened
(never a FIFO, a device or a directory), and at most ``MAX_FILE_BYTES`` bytes are read
(``NEGPOS_MAX_FILE_BYTES`` or ``max_bytes=`` change it); text must be UTF-8.
"""

from __future__ import annotations

import codecs
import errno
import json.decoder
import math
import os
import re
import stat
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from json import JSONDecodeError
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from negpos.errors import Problem

__all__ = [
    "MAX_FILE_BYTES",
    "Document",
    "max_file_bytes",
    "parse_document",
    "problems_from_validation_error",
    "read_document",
    "yaml_text",
]

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 10_000_000
"""Files larger than this (10 MB) are refused before they are read: a proposal or a codebook
is a few kilobytes, and parsing costs far more memory than the file's size."""

MAX_FILE_BYTES_VARIABLE = "NEGPOS_MAX_FILE_BYTES"

MAX_DEPTH = 100
"""Data nested deeper than this is refused: a proposal is a handful of levels deep."""


def max_file_bytes(max_bytes: int | None = None) -> int:
    """The size limit in bytes: ``max_bytes`` if given, else ``NEGPOS_MAX_FILE_BYTES`` if set,
    else ``MAX_FILE_BYTES``. Raises ``ValueError`` for a limit that is not a whole number."""
    if max_bytes is None:
        written = os.environ.get(MAX_FILE_BYTES_VARIABLE, "").strip()
        if not written:
            return MAX_FILE_BYTES
        try:
            max_bytes = int(written)
        except ValueError:
            raise ValueError(
                f"{MAX_FILE_BYTES_VARIABLE} must be a whole number of bytes, got {written!r}"
            ) from None
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0:
        raise ValueError(f"the size limit must be a whole number of bytes, got {max_bytes!r}")
    return max_bytes


class _LeanResolver:
    """PyYAML's ``Resolver.resolve`` for this module's fixed table, without its per-call work.

    The composer asks for a tag once per node (hundreds of times a file). The stock method
    concatenates two resolver lists on every call and checks for path resolvers, which negpos
    never uses; here each first character has its resolvers, wildcards included, ready in one
    tuple (``_IMPLICIT_BY_FIRST``): the same answers, at a fraction of the cost.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag of a node: a plain scalar's by the first resolver it matches, any other
        scalar text, a mapping or a sequence its default tag."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT_BY_FIRST.get(value[:1], _IMPLICIT_ANY):  # type: ignore[index]
                    if regexp.match(value):  # type: ignore[arg-type]
                        return tag
            return _STR_TAG
        if kind is yaml.SequenceNode:
            return _SEQ_TAG
        return _MAP_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Nothing to do: there are no path resolvers (the stock method returns at once too)."""

    def ascend_resolver(self) -> None:
        """Nothing to do: there are no path resolvers."""


class _StrictLoader(_LeanResolver, yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: plain data, nothing surprising."""


# Start from SafeLoader's resolvers, drop the YAML 1.1 ones that guess too much (yes/no/on/off
# booleans, dates, sexagesimal 1:30 = 90, octal 012 = 10, floats that need a dot: 2e9 a string,
# a lone `=` as the "value" key no constructor knows) and put YAML 1.2 core-schema ones in their
# place. `=` is then plain text, as in YAML 1.2.
_GUESSING = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:value",
)
_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
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

_Resolvers = tuple[tuple[str, re.Pattern[str]], ...]
_IMPLICIT_ANY: _Resolvers = tuple(_StrictLoader.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT_BY_FIRST: dict[str, _Resolvers] = {
    first: (*resolvers, *_IMPLICIT_ANY)
    for first, resolvers in _StrictLoader.yaml_implicit_resolvers.items()
    if first is not None
}
"""The implicit resolvers a plain scalar's first character (``""`` for empty text) selects,
then the wildcard ones, as ``Resolver.resolve`` tries them; the table is final from here on."""


def _int_of(text: str) -> int:
    """A whole number as YAML 1.2 writes it: ``0o17``, ``0x1F``, or decimal (``012`` is
    twelve); the one reading of the constructor below and of the one-walk builder."""
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    return _int_of(str(loader.construct_scalar(node)))  # type: ignore[arg-type]


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def _loader_class() -> type[yaml.SafeLoader]:
    """The same dialect on libyaml's C parser when PyYAML has it (about 5x faster)."""
    if not getattr(yaml, "__with_libyaml__", False):
        return _StrictLoader
    from yaml.cyaml import CParser  # type: ignore[attr-defined]  # the stubs omit it

    class _StrictCLoader(
        _LeanResolver, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
    ):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _StrictCLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
    _StrictCLoader.yaml_constructors = _StrictLoader.yaml_constructors
    return _StrictCLoader  # type: ignore[return-value]


_Loader = _loader_class()


# ------------------------------------------------------------------ writing YAML


def _quoting_resolvers(
    dumper: type[yaml.SafeDumper],
) -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """The dumper's resolvers (YAML 1.1), then the reader's (YAML 1.2), then YAML 1.1's y/n."""
    merged = {first: list(found) for first, found in dumper.yaml_implicit_resolvers.items()}
    for first, found in _StrictLoader.yaml_implicit_resolvers.items():
        for resolver in found:
            if resolver not in merged.setdefault(first, []):
                merged[first].append(resolver)
    yes_no = ("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"))
    for first in "yYnN":
        merged.setdefault(first, []).append(yes_no)
    return merged


# Line breaks other than \n and \r: PyYAML's own emitter folds them inside single quotes and
# reads them back as spaces; in double quotes they are escaped.
_OTHER_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _OTHER_LINE_BREAKS.search(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def quoting_dumper(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    """``base`` (PyYAML's SafeDumper or libyaml's CSafeDumper), quoting every string that some
    YAML reader would not read back as text.

    A dumper writes a string plain (unquoted) unless its own resolvers, YAML 1.1's, would read
    it as something else; negpos reads YAML 1.2, where ``2e9``, ``1e5``, ``-.5`` and ``0o17``
    are numbers that YAML 1.1 leaves as text. These resolvers are both dialects' (and YAML
    1.1's ``y``/``n`` booleans, which PyYAML leaves out), so a string that any of them would
    read as a number, a boolean, null, a date or a merge key is quoted, and every string comes
    back as the same string.
    """
    dumper: type[yaml.SafeDumper] = type(f"Quoting{base.__name__}", (base,), {})
    dumper.yaml_implicit_resolvers = _quoting_resolvers(base)
    dumper.add_representer(str, _represent_text)
    return dumper


_Dumper = quoting_dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper))  # libyaml's, if there


def yaml_text(data: Any) -> str:
    """Plain data (mappings, lists, text, numbers, booleans, None) as YAML text that negpos's
    reader reads back to equal data: keys in their order, UTF-8 characters kept, lines of
    about 100 characters."""
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


def _parse_yaml(text: str, name: str) -> _Parsed:
    """Parse once: libyaml composes the node tree, one walk over it gives data and lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return _Parsed({}, None)
        return _YamlBuilder(loader, name).build(node)
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


def read_document(path: str | Path, *, max_bytes: int | None = None) -> Document:
    """Read a ``.yaml``/``.yml``/``.json`` file; raise ``DocumentError`` naming the line of bad
    syntax. Only a regular file of at most ``max_bytes`` (default: ``max_file_bytes()``) is
    read, and never more than that many bytes plus one."""
    file = Path(path)
    try:
        limit = max_file_bytes(max_bytes)
    except ValueError as exc:
        raise DocumentError([Problem(str(file), None, None, str(exc))]) from None
    text = _decode(_read_bytes(file, limit), str(file))
    return parse_document(text, name=str(file), as_json=file.suffix.lower() == ".json")


def _refuse(file: Path, message: str) -> DocumentError:
    return DocumentError([Problem(str(file), None, None, message)])


def _read_bytes(file: Path, limit: int) -> bytes:
    """The file's bytes, if it is a regular file within the limit; else one clear problem."""
    try:
        status = os.stat(file)  # follows symbolic links
    except FileNotFoundError:
        if file.is_symlink():
            raise _refuse(
                file, f"broken symbolic link: its target {os.readlink(file)} does not exist"
            ) from None
        raise _refuse(file, "no such file") from None
    except (OSError, ValueError) as exc:
        raise _refuse(file, _os_reason(exc)) from None
    _check_kind(file, status)
    if status.st_size > limit:
        raise _refuse(file, _too_big(limit, status.st_size))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(file, flags | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _refuse(file, _os_reason(exc)) from None
    chunks: list[bytes] = []
    try:
        _check_kind(file, os.fstat(descriptor))  # the file may have changed since it was measured
        remaining = limit + 1  # one byte more tells a file that grew past the limit
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise _refuse(file, _os_reason(exc)) from None
    finally:
        os.close(descriptor)
    if remaining <= 0:
        raise _refuse(file, _too_big(limit, None))
    return b"".join(chunks)


def _check_kind(file: Path, status: os.stat_result) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise _refuse(file, "is a directory, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise _refuse(file, "not a regular file (a FIFO, a device or a socket): not read")


def _too_big(limit: int, size: int | None) -> str:
    found = "the file is over" if size is None else f"the file is {size:,} bytes, over"
    return (
        f"{found} the limit of {limit:,} bytes; raise the limit with {MAX_FILE_BYTES_VARIABLE} "
        "or max_bytes= if the file is meant to be this large"
    )


def _os_reason(exc: OSError | ValueError) -> str:
    if isinstance(exc, ValueError):  # e.g. a NUL byte in the file name
        return f"not a usable file name ({exc})"
    if isinstance(exc, PermissionError):
        return "permission denied: cannot read the file"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno == errno.EISDIR:
        return "is a directory, not a file"
    return f"cannot read the file: {exc.strerror or exc}"


def _decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is not data), or one problem saying what the bytes are."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DocumentError([Problem(name, None, None, _NOT_UTF8 + "it is UTF-16" + _SAVE)])
    nul = data.find(b"\x00")
    if nul != -1:
        if _looks_like_utf16(data):
            raise DocumentError(
                [Problem(name, None, None, _NOT_UTF8 + "it looks like UTF-16" + _SAVE)]
            )
        line = data.count(b"\n", 0, nul) + 1
        raise DocumentError(
            [Problem(name, line, None, _NOT_UTF8 + f"it holds a NUL byte on line {line}")]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        found = f"byte 0x{data[exc.start]:02x} on line {line} is not UTF-8 ({exc.reason})"
        raise DocumentError([Problem(name, line, None, _NOT_UTF8 + found + _SAVE)]) from None


_NOT_UTF8 = "not UTF-8 text: "
_SAVE = "; save the file as UTF-8"


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly-ASCII UTF-16 has a NUL in every other byte."""
    sample = data[:4096]
    halves = (sample[0::2].count(0), sample[1::2].count(0))
    return max(halves) >= len(sample) // 4 and min(halves) <= len(sample) // 64


def parse_document(text: str, *, name: str = "<string>", as_json: bool = False) -> Document:
    """Parse YAML (or JSON) text into data plus a line map, in one pass over the text."""
    if not text.strip():
        raise DocumentError([Problem(name, None, None, "the file is empty")])
    if as_json:
        try:
            lines, data = _parse_json(text, name)
        except JSONDecodeError as exc:
            raise DocumentError(
                [Problem(name, exc.lineno, None, f"invalid JSON: {exc.msg}")]
            ) from None
        return Document(name, data, lines)
    try:
        lines, data = _parse_yaml(text, name)
    except yaml.reader.ReaderError as exc:
        raise DocumentError([_reader_problem(text, name, exc)]) from None
    except yaml.MarkedYAMLError as exc:
        raise DocumentError([_syntax_problem(text, name, exc)]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([Problem(name, None, None, f"invalid YAML: {exc}")]) from None
    except ValueError as exc:  # a scalar the constructor rejects, e.g. an out-of-range number
        raise DocumentError([Problem(name, None, None, f"invalid YAML: {exc}")]) from None
    except RecursionError:
        raise DocumentError([Problem(name, None, None, _TOO_DEEP)]) from None
    if data is None:
        raise DocumentError([Problem(name, None, None, "the file holds no data")])
    return Document(name, data, lines)


_TOO_DEEP = "the data is nested too deeply"

# What YAML refuses in a stream (PyYAML's Reader.NON_PRINTABLE).
_NOT_YAML_TEXT = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _reader_problem(text: str, name: str, exc: yaml.reader.ReaderError) -> Problem:
    found = _NOT_YAML_TEXT.search(text)
    if found is None:
        return Problem(name, None, None, f"invalid YAML: {exc.reason}")
    line = text.count("\n", 0, found.start()) + 1
    return Problem(
        name,
        line,
        None,
        f"invalid YAML: the control character U+{ord(found.group()):04X} is not allowed in text",
    )


def _syntax_problem(text: str, name: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    reason = exc.problem or exc.context or "malformed YAML"
    if mark is not None:
        lines = text.split("\n")
        written = lines[mark.line] if mark.line < len(lines) else ""
        indent = written[: len(written) - len(written.lstrip(" \t"))]
        if "\t" in indent:
            reason = "tabs are not allowed for indentation; indent with spaces"
    return Problem(name, line, None, f"invalid YAML: {reason}")


def _too_long_number(digits: int) -> str:
    return (
        f"a number of {digits} digits is too long to read; expected a number of at most "
        f"{sys.get_int_max_str_digits()} digits"
    )


# ------------------------------------------------------------------ JSON, with lines, in one pass

# The standard library's string reader (its C version where there is one): escapes, and
# control characters refused inside strings, exactly as json.loads has them.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_JSON_WORDS = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", math.nan),  # read as the standard library reads them; refused where a figure is
    ("Infinity", math.inf),
    ("-Infinity", -math.inf),
)


class _Lines:
    """Line numbers of positions met in increasing order, counted once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.line = 1

    def at(self, position: int) -> int:
        if position < self.position:
            return self.text.count("\n", 0, position) + 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


@dataclass(slots=True)
class _Open:
    """A JSON object or array being read."""

    container: dict[str, Any] | list[Any]
    loc: Loc
    key: str = ""
    seen: dict[str, int] = field(default_factory=dict)


def _parse_json(text: str, name: str) -> tuple[dict[Loc, int], Any]:
    """Data and the line of every field, read as ``json.loads`` reads it (NaN and Infinity
    included) but iteratively: no recursion, a depth limit, duplicate keys refused at their
    line, and a number too long for Python reported with its field."""
    return _JsonReader(text, name).read()


def _skip_space(text: str, position: int) -> int:
    return _JSON_SPACE.match(text, position).end()  # type: ignore[union-attr]  # always matches


_OPENED = object()  # a container was opened: its first member comes next


class _JsonReader:
    """One pass over JSON text, with a stack of the containers being read."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.lines = _Lines(text)
        self.stack: list[_Open] = []
        self.position = _skip_space(text, 0)
        self.loc: Loc = ()
        self.where: dict[Loc, int] = {(): self.lines.at(self.position)}
        self.result: Any = None

    def read(self) -> tuple[dict[Loc, int], Any]:
        while True:
            value = self._value()
            if value is not _OPENED and self._give(value):
                return self.where, self.result

    def _value(self) -> Any:
        """The value at the position, read whole, or ``_OPENED`` for a container with
        members (its first member's location then set)."""
        text, position = self.text, self.position
        char = text[position : position + 1]
        if char == '"':
            value, self.position = _scanstring(text, position + 1, True)
            return value
        if char not in ("{", "["):
            value, self.position = _json_scalar(text, position, self.loc, self.lines, self.name)
            return value
        if len(self.stack) >= MAX_DEPTH:
            raise DocumentError([Problem(self.name, self.lines.at(position), None, _TOO_DEEP)])
        self.position = _skip_space(text, position + 1)
        frame = _Open({} if char == "{" else [], self.loc)
        if text.startswith("}" if char == "{" else "]", self.position):
            self.position += 1
            return frame.container
        self.stack.append(frame)
        self._member(frame)
        return _OPENED

    def _member(self, frame: _Open) -> None:
        """Read up to the next member of ``frame``: an object's key, or a list's position."""
        if isinstance(frame.container, dict):
            self.position, self.loc = _json_key(
                self.text, self.position, frame, self.lines, self.where, self.name
            )
        else:
            self.loc = (*frame.loc, len(frame.container))
            self.where[self.loc] = self.lines.at(self.position)

    def _give(self, value: Any) -> bool:
        """Give a complete value to the containers it closes; True once the document is
        complete (its data in ``result``), False when a further member comes."""
        text = self.text
        while self.stack:
            frame = self.stack[-1]
            if isinstance(frame.container, dict):
                frame.container[frame.key] = value
            else:
                frame.container.append(value)
            self.position = _skip_space(text, self.position)
            char = text[self.position : self.position + 1]
            if char == ",":
                self.position = _skip_space(text, self.position + 1)
                self._member(frame)
                return False
            if char != ("}" if isinstance(frame.container, dict) else "]"):
                raise JSONDecodeError("Expecting ',' delimiter", text, self.position)
            self.position += 1
            value = self.stack.pop().container
        end = _skip_space(text, self.position)
        if end != len(text):
            raise JSONDecodeError("Extra data", text, end)
        self.result = value
        return True


def _json_key(
    text: str, position: int, frame: _Open, lines: _Lines, where: dict[Loc, int], name: str
) -> tuple[int, Loc]:
    """Read ``"key":`` at ``position``; the position of its value and the value's location."""
    if not text.startswith('"', position):
        raise JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
    key, end = _scanstring(text, position + 1, True)
    line = lines.at(position)
    loc = (*frame.loc, key)
    if key in frame.seen:
        raise DocumentError(
            [
                Problem(
                    name,
                    line,
                    dotted_field(loc),
                    f"duplicate key (first written on line {frame.seen[key]})",
                )
            ]
        )
    frame.seen[key] = line
    end = _skip_space(text, end)
    if not text.startswith(":", end):
        raise JSONDecodeError("Expecting ':' delimiter", text, end)
    frame.key = key
    where[loc] = line
    return _skip_space(text, end + 1), loc


def _json_scalar(text: str, position: int, loc: Loc, lines: _Lines, name: str) -> tuple[Any, int]:
    number = _JSON_NUMBER.match(text, position)
    if number is not None:
        whole, fraction, exponent = number.groups()
        if fraction or exponent:
            return float(number.group()), number.end()
        try:
            return int(whole), number.end()
        except ValueError:  # more digits than Python converts (4,300 by default)
            digits = len(whole.lstrip("-"))
            raise DocumentError(
                [
                    Problem(
                        name,
                        lines.at(position),
                        dotted_field(loc) or None,
                        _too_long_number(digits),
                    )
                ]
            ) from None
    for word, constant in _JSON_WORDS:
        if text.startswith(word, position):
            return constant, position + len(word)
    raise JSONDecodeError("Expecting value", text, position)


# ------------------------------------------------------------------ YAML data and line map, one walk


class _Parsed(NamedTuple):
    """A document's field lines and its plain data."""

    lines: dict[Loc, int]
    data: Any


_ALIASES = "anchors and aliases (& and *) are not supported: write the data out"
_MERGE_KEYS = "merge keys (<<) are not supported: write the fields out"

# The constructors of these scalar tags return plain values and never keep state, so the
# builder calls them directly; str and int, the commonest, it reads itself.
_PLAIN_SCALAR_TAGS = frozenset(
    ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float")
)

# A node waiting in the walk: the node, its location, and the empty container built for it
# (None for a scalar that is there only to have its problem reported in turn).
_Pending = tuple[yaml.Node, Loc, dict[Any, Any] | list[Any] | None]


class _YamlBuilder:
    """One walk over a composed node tree: the plain data, each field's line, and every check.

    The checks refuse duplicate keys (naming the first one's line), merge keys, anchors and
    aliases of mappings and lists (data is written out), nesting deeper than ``MAX_DEPTH`` and
    whole numbers too long to read. The walk visits nodes in the order the checks have always
    been made (a container's keys first, then its members last to first), so a file with two
    problems reports the same one as before. Containers are built empty when their parent is
    visited and filled when they are, so keys keep their written order.

    Only the plain YAML a proposal is written in is built here: text, whole numbers, decimals,
    booleans, null, mappings and lists under their default tags. A document with anything else
    (an explicit tag such as ``!!binary`` or ``!foo``, a mapping or a list as a key, a scalar
    its tag's constructor refuses) is ``unusual``: the walk still maps its lines and makes every
    check, and its data then comes from PyYAML's constructors, errors included, as it always
    has.
    """

    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.lines: dict[Loc, int] = {}
        self.pending: list[_Pending] = []
        self.visited: set[int] = set()
        self.unusual = False
        self.digits = sys.get_int_max_str_digits()  # 4,300 unless changed; 0 means no limit

    def build(self, root: yaml.Node) -> _Parsed:
        """Walk the tree from ``root``; raise ``DocumentError`` at the first problem."""
        self.lines[()] = root.start_mark.line + 1
        data = self.value(root, ())
        pending = self.pending
        while pending:
            node, path, container = pending.pop()
            if len(path) > MAX_DEPTH:
                raise DocumentError([Problem(self.name, node.start_mark.line + 1, None, _TOO_DEEP)])
            if container is None:
                _check_number(node, path, self.name)  # type: ignore[arg-type]  # a scalar
            else:
                self.fill(node, path, container)
        if self.unusual:
            data = self.loader.construct_document(root)
        return _Parsed(self.lines, data)

    def fill(self, node: yaml.Node, path: Loc, container: dict[Any, Any] | list[Any]) -> None:
        """Give a mapping or list its members, once: a second visit means an alias."""
        if id(node) in self.visited:
            raise DocumentError(
                [Problem(self.name, node.start_mark.line + 1, dotted_field(path) or None, _ALIASES)]
            )
        self.visited.add(id(node))
        if isinstance(container, dict):
            self.fill_mapping(node, path, container)
            return
        lines, value = self.lines, self.value
        for index, item in enumerate(node.value):
            loc = (*path, index)
            lines[loc] = item.start_mark.line + 1
            container.append(value(item, loc))

    def fill_mapping(self, node: yaml.Node, path: Loc, mapping: dict[Any, Any]) -> None:
        """Each key checked and its line noted, in written order; then its value set."""
        name, lines, value = self.name, self.lines, self.value
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if type(key_node) is yaml.ScalarNode:
                key = key_node.value
                if key_node.tag == _INT_TAG:
                    _check_number(key_node, path, name)
                data_key = key if key_node.tag == _STR_TAG else self.scalar(key_node, path)
            else:
                key = data_key = "?"
                self.unusual = True  # a mapping or a list as a key: PyYAML's to refuse
            if key_node.tag == _MERGE_TAG:
                raise DocumentError([Problem(name, line, dotted_field(path) or None, _MERGE_KEYS)])
            if key in seen:
                first = f"duplicate key (first written on line {seen[key]})"
                raise DocumentError([Problem(name, line, dotted_field((*path, key)), first)])
            seen[key] = line
            loc = (*path, key)
            lines[loc] = line
            mapping[data_key] = value(value_node, loc)

    def value(self, node: yaml.Node, loc: Loc) -> Any:
        """A member's value: a scalar's at once, a container's empty until it is visited."""
        kind = type(node)
        if kind is yaml.ScalarNode:
            if len(loc) > MAX_DEPTH:
                self.pending.append((node, loc, None))
                return None
            if node.tag == _STR_TAG:
                return node.value
            return self.scalar(node, loc)
        container: dict[Any, Any] | list[Any]
        if kind is yaml.MappingNode:
            container = {}
            self.unusual |= node.tag != _MAP_TAG
        else:
            container = []
            self.unusual |= node.tag != _SEQ_TAG
        self.pending.append((node, loc, container))
        return container

    def scalar(self, node: yaml.Node, loc: Loc) -> Any:
        """A scalar's value as its tag's constructor gives it; None, and the document marked
        unusual, where the constructor would be PyYAML's to call."""
        tag, text = node.tag, node.value
        if tag == _STR_TAG:
            return text
        try:
            if tag == _INT_TAG:
                if self.digits and len(text) > self.digits and _too_long(text, self.digits):
                    self.pending.append((node, loc, None))  # reported in its turn
                    return None
                return _int_of(text)
            if tag in _PLAIN_SCALAR_TAGS:
                return self.loader.yaml_constructors[tag](self.loader, node)
        except Exception:  # the constructors raise ValueError, KeyError, IndexError ...
            pass  # ... which PyYAML's own construction of the document raises again
        self.unusual = True
        return None


def _too_long(text: str, limit: int) -> bool:
    """A decimal whole number of more digits than Python reads (``limit``, not 0)."""
    digits = text.lstrip("+-")
    return len(digits) > limit and digits.isdigit()


def _check_number(node: yaml.ScalarNode, path: Loc, name: str) -> None:
    """Refuse, with its line and field, a decimal whole number too long for Python to read."""
    if node.tag != _INT_TAG:
        return
    limit = sys.get_int_max_str_digits()  # 4,300 unless changed; 0 means no limit
    if limit and _too_long(node.value, limit):
        raise DocumentError(
            [
                Problem(
                    name,
                    node.start_mark.line + 1,
                    dotted_field(path) or None,
                    _too_long_number(len(node.value.lstrip("+-"))),
                )
            ]
        )


def dotted_field(loc: Iterable[str | int]) -> str:
    """``territory[0].control.evidence[1].quote``: a location as negpos names fields."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problems_from_validation_error(
    error: ValidationError,
    document: Document,
    *,
    model: type[BaseModel] | None = None,
    patterns: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Turn pydantic's errors into negpos problems, each with its file, line and field.

    ``model``, the class validated, lets a missing or wrong choice list the values allowed;
    ``patterns`` says in words what further field patterns mean (pattern -> "expected ...").
    """
    hints = {**_PATTERN_HINTS, **(patterns or {})}
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
            allowed = _allowed_values(model, loc)
            if allowed:
                message += f"; expected one of {', '.join(allowed)}"
        elif item["type"] in ("enum", "literal_error"):
            allowed = _allowed_values(model, loc)
            if allowed:
                message = f"expected one of {', '.join(allowed)}; got {item['input']!r}"
        elif item["type"] == "bool_type":
            message = "expected true or false"
        elif item["type"] == "string_pattern_mismatch":
            pattern = str(item.get("ctx", {}).get("pattern", ""))
            message = hints.get(pattern, f"expected text of the form {pattern}")
        problems.append(
            Problem(document.name, document.line_of(loc), dotted_field(loc) or None, message)
        )
    return problems


# Each pattern of the model, in words (the codebook adds its own).
_PATTERN_HINTS = {
    r"^https?://\S+$": "expected a web address starting with http:// or https://, without spaces",
    r"^[A-Z]{2}-[A-Z0-9]{1,3}$": "expected an ISO 3166-2 code such as UA-43",
    r"^[a-z0-9][a-z0-9_]*$": "expected a region id: lower-case letters, digits and _, "
    "starting with a letter or digit",
    r"^[a-z0-9_]+$": "expected lower-case letters, digits and _ (no spaces, dots or capitals)",
    r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$": "expected an id: letters, digits, _ . and - (no spaces), "
    "starting with a letter or digit",
    r"^[A-Za-z0-9][A-Za-z0-9_\-]*$": "expected an id: letters, digits, _ and - (no spaces or "
    "dots), starting with a letter or digit",
    r"^[0-9a-f]{64}$": "expected a SHA-256: 64 lower-case hexadecimal digits",
}


def _allowed_values(model: type[BaseModel] | None, loc: Loc) -> tuple[str, ...]:
    """The values an enum or Literal field at ``loc`` of ``model`` allows; () if not one."""
    annotations: list[Any] = [model] if model is not None else []
    for part in loc:
        annotations = [step for a in annotations for step in _inside(a, part)]
    for annotation in annotations:
        for option in _options(annotation):
            if isinstance(option, type) and issubclass(option, Enum):
                return tuple(str(member.value) for member in option)
            if get_origin(option) is Literal:
                return tuple(str(value) for value in get_args(option))
    return ()


def _options(annotation: Any) -> list[Any]:
    """The types a field may take: ``A | B | None`` is A, B, None; Annotated is unwrapped."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _options(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [option for arg in get_args(annotation) for option in _options(arg)]
    return [annotation]


def _inside(annotation: Any, part: str | int) -> list[Any]:
    """The annotations one step down ``part`` from ``annotation``."""
    found = []
    for option in _options(annotation):
        origin = get_origin(option)
        if isinstance(option, type) and issubclass(option, BaseModel) and isinstance(part, str):
            for name, info in option.model_fields.items():
                if part in (name, info.alias):
                    found.append(info.annotation)
        elif origin in (tuple, list) and isinstance(part, int):
            args = get_args(option)
            if origin is list or (len(args) == 2 and args[1] is Ellipsis):
                found.append(args[0])
            elif part < len(args):
                found.append(args[part])
        elif isinstance(origin, type) and issubclass(origin, dict) and isinstance(part, str):
            found.append(get_args(option)[1])  # dict, and FrozenDict (Proposal.issues)
    return found


def _is_internal(part: str | int) -> bool:
    # pydantic inserts validator names such as "function-after[...]" into some locations.
    return isinstance(part, str) and ("[" in part and part.endswith("]"))


class DocumentError(Exception):
    """Raised with the problems of an unreadable document; wrapped by the caller's error type."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
