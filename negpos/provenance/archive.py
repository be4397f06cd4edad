"""Archived sources: local copies a quote can be checked against, and their hashes.

Web pages change and disappear, so a source may name a local copy (``archive:``) beside the
proposal file, and the SHA-256 of that copy (``sha256:``) as it was when the coder quoted it.
``negpos check`` reads the copy's text to find each quote, and the hash tells a reviewer that
the copy is the one the coder read. Text comes out of HTML with selectolax and out of PDF with
pypdf, both in the ``provenance`` extra and imported only when such a copy is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from negpos.codebook import Codebook, CodebookOrPath, as_codebook
from negpos.documents import DocumentError, max_file_bytes, parse_document
from negpos.errors import Problem, ProposalFileError, _ProblemsError
from negpos.files import load, proposal_from_document
from negpos.model import Proposal

__all__ = [
    "ARCHIVE_SUFFIXES",
    "ArchiveError",
    "MissingExtraError",
    "add_archive",
    "archived_text",
    "sha256_of",
]

ARCHIVE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")

_EXTRA = 'pip install "negpos[provenance]"'


class ArchiveError(_ProblemsError):
    """An archived copy cannot be read, or cannot be recorded on its source."""


class MissingExtraError(ArchiveError):
    """A library of the ``provenance`` extra is not installed: the input is not at fault."""


def require_extra(module: str, purpose: str) -> ModuleType:
    """Import an optional library on first use, or say which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".", maxsplit=1)[0]
        raise MissingExtraError(
            [Problem(None, None, None, f"{purpose} needs {package}: {_EXTRA}")]
        ) from None


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in lower-case hex (what ``sha256:`` records)."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 16), b""):
                digest.update(block)
    except FileNotFoundError:
        raise ArchiveError([Problem(str(path), None, None, "no such file")]) from None
    except IsADirectoryError:
        raise ArchiveError([Problem(str(path), None, None, "is a directory, not a file")]) from None
    return digest.hexdigest()


def archived_text(path: Path) -> str:
    """The text of a local copy: plain text and Markdown as written, the visible text of
    HTML, the extracted text of a PDF. Raises ``ArchiveError`` if it cannot be read."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in ARCHIVE_SUFFIXES:
        raise ArchiveError([_unknown_suffix(file)])
    if not file.exists():
        raise ArchiveError([Problem(str(file), None, None, "no such file")])
    if file.is_dir():
        raise ArchiveError([Problem(str(file), None, None, "is a directory, not a file")])
    if suffix == ".pdf":
        return _pdf_text(file)
    try:
        text = file.read_text(encoding="utf-8-sig")  # a byte-order mark is not text
    except UnicodeDecodeError as exc:
        raise ArchiveError(
            [Problem(str(file), None, None, f"not UTF-8 text ({exc.reason})")]
        ) from None
    if suffix in (".html", ".htm"):
        return _html_text(text)
    return text


def _unknown_suffix(file: Path) -> Problem:
    accepted = ", ".join(ARCHIVE_SUFFIXES)
    return Problem(
        str(file),
        None,
        None,
        f"cannot read {file.suffix + ' copies' if file.suffix else 'a copy without a suffix'}; "
        f"archive plain text, Markdown, HTML or PDF ({accepted})",
    )


# Elements whose text a reader never sees, and elements that start a new line.
_HIDDEN = frozenset({"script", "style", "noscript", "template", "svg", "head"})
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th",
    "title", "tr", "ul",
})  # fmt: skip


def _html_text(html: str) -> str:
    """The visible text of a page: script and style dropped, blocks on their own lines.

    Inline elements (``<b>``, ``<a>``) add no space, so a word split by markup stays whole.
    """
    lexbor: Any = require_extra("selectolax.lexbor", "reading an HTML copy")
    tree = lexbor.LexborHTMLParser(html)
    title = tree.css_first("head > title")
    parts: list[str] = [title.text(deep=True), "\n"] if title is not None else []
    # An explicit stack: deeply nested pages must not hit Python's recursion limit.
    stack: list[Any] = [tree.root] if tree.root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        tag = node.tag
        if tag == "-text":
            parts.append(node.text(deep=False))
            continue
        if tag in _HIDDEN or tag.startswith("-"):  # comments, doctype
            continue
        block = tag in _BLOCKS
        if block:
            parts.append("\n")
            stack.append("\n")
        stack.extend(reversed(list(node.iter(include_text=True))))
    return "".join(parts)


def _pdf_text(file: Path) -> str:
    """The text pypdf extracts, page by page."""
    pypdf: Any = require_extra("pypdf", "reading a PDF copy")
    try:
        reader = pypdf.PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ArchiveError([Problem(str(file), None, None, "the PDF is encrypted")])
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except ArchiveError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise ArchiveError(
            [Problem(str(file), None, None, f"cannot read the PDF ({type(exc).__name__}: {exc})")]
        ) from None


def add_archive(
    proposal_file: Path,
    source_id: str,
    archive: Path,
    *,
    codebook: CodebookOrPath | None = None,
) -> str:
    """Record ``archive:`` and ``sha256:`` on a source, editing the file in place.

    Only the two lines change, so comments and layout survive: they are put right under the
    source's ``id:`` line (or replace the ones already there). The archive must lie in the
    proposal's folder or below it, so the two move together; its path is stored relative to
    the proposal, with ``/``. A relative ``archive`` is read from the working directory, or
    else from the proposal's folder. The edited file must load before it replaces the old one
    (written to a temporary file and renamed); ``codebook`` is the one it is coded against.
    Returns the hash.
    """
    proposal_file = Path(proposal_file)
    codebook = as_codebook(codebook)  # a path is read once
    proposal = load(proposal_file, codebook=codebook)  # the usual errors, for a bad file
    if proposal.source(source_id) is None:
        known = ", ".join(s.id for s in proposal.sources)
        raise ArchiveError(
            [
                Problem(
                    str(proposal_file),
                    None,
                    "sources",
                    f"no source with id {source_id!r}; the proposal has: {known}",
                )
            ]
        )
    folder = proposal_file.resolve().parent
    located = Path(archive)
    if not located.is_absolute() and not located.exists() and (folder / located).exists():
        located = folder / located
    if not located.exists():
        raise ArchiveError([Problem(str(archive), None, None, "no such file")])
    if not located.is_file():
        raise ArchiveError([Problem(str(archive), None, None, "is not a file")])
    if located.suffix.lower() not in ARCHIVE_SUFFIXES:
        raise ArchiveError([_unknown_suffix(located)])
    try:
        relative = located.resolve().relative_to(folder).as_posix()
    except ValueError:
        raise ArchiveError(
            [
                Problem(
                    str(archive),
                    None,
                    None,
                    f"lies outside {folder}, the proposal's folder; put the copy in that "
                    "folder or below it so the two travel together",
                )
            ]
        ) from None
    digest = sha256_of(located)
    by_hand = (
        f"add the two fields to source {source_id} by hand: "
        f"archive: {_yaml_scalar(relative)} and sha256: {digest}"
    )
    if proposal_file.suffix.lower() == ".json":
        raise ArchiveError(
            [Problem(str(proposal_file), None, None, f"cannot edit JSON in place; {by_hand}")]
        )
    with proposal_file.open(encoding="utf-8", newline="") as stream:
        text = stream.read()
    edited = _edit_source(text, str(proposal_file), source_id, relative, digest, by_hand)
    _replace_checked(proposal_file, edited, source_id, relative, digest, codebook)
    return digest


def _edit_source(
    text: str, name: str, source_id: str, relative: str, digest: str, by_hand: str
) -> str:
    """The text with the two fields set on the source, everything else byte for byte."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # structure and positions only
    item = _source_node(root, source_id)
    if item is None:
        raise ArchiveError([Problem(name, None, "sources", f"no source with id {source_id!r}")])
    if item.flow_style:
        line = item.start_mark.line + 1
        raise ArchiveError(
            [Problem(name, line, "sources", f"source {source_id} is written {{...}}; {by_hand}")]
        )
    fields = {_scalar(k): (k, v) for k, v in item.value}
    id_key, id_value = fields["id"]
    indent = " " * id_key.start_mark.column
    newline = "\r\n" if "\r\n" in text else "\n"
    # a digest of digits and e alone would read as a number: quote it then
    hashed = digest if re.search(r"[a-df]", digest) else f'"{digest}"'
    values = {"archive": _yaml_scalar(relative), "sha256": hashed}
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text
    missing = []
    for field, value in values.items():
        if field in fields:
            key, old = fields[field]
            end = old.end_mark.index
            while end > key.start_mark.index and text[end - 1] in " \t\r\n":
                end -= 1  # a block scalar's span runs on over the line break
            edits.append((key.start_mark.index, end, f"{field}: {value}"))
        else:
            missing.append(f"{indent}{field}: {value}")
    if missing:
        end_of_id = text.find("\n", id_value.end_mark.index)
        if end_of_id == -1:  # the id is on the last line, with no line break after it
            edits.append((len(text), len(text), newline + newline.join(missing)))
        else:
            inserted = newline.join(missing) + newline
            edits.append((end_of_id + 1, end_of_id + 1, inserted))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _source_node(root: yaml.Node | None, source_id: str) -> yaml.MappingNode | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if _scalar(key) == "sources" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                for field, written in item.value:
                    if _scalar(field) == "id" and _scalar(written) == source_id:
                        return item
    return None


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./\-]*")


def _yaml_scalar(text: str) -> str:
    """A path as YAML: plain where that reads back as the same string, else double-quoted."""
    if _PLAIN.fullmatch(text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _replace_checked(
    target: Path,
    text: str,
    source_id: str,
    relative: str,
    digest: str,
    codebook: Codebook | None,
) -> None:
    """Write beside the target, check it loads, and only then rename it over the target.

    The temporary file is named ``.{name}.XXXX.tmp``: not a proposal suffix, so a corpus
    loaded from the folder meanwhile never reads it as a proposal. It is synced to disk
    before the rename, so the rename never publishes a file whose content is not there yet.
    """
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    temp = Path(temporary)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        proposal = _load_edited(target, temp, codebook)
        source = proposal.source(source_id)
        if source is None or (source.archive, source.sha256) != (relative, digest):
            raise ArchiveError(
                [
                    Problem(
                        str(target), None, "sources", f"could not record the archive on {source_id}"
                    )
                ]
            )
        with contextlib.suppress(OSError):
            shutil.copymode(target, temp)
        os.replace(temp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _load_edited(target: Path, temp: Path, codebook: Codebook | None) -> Proposal:
    """The temporary file as a proposal, read as ``load`` reads ``target`` (UTF-8, a byte-order
    mark dropped, YAML or JSON by ``target``'s suffix, the same size limit): ``load`` itself
    refuses the ``.tmp`` name. Each problem names ``target`` and starts "after the edit"."""
    problems: tuple[Problem, ...]
    try:
        limit = max_file_bytes()
        size = temp.stat().st_size
        if size > limit:
            raise DocumentError(
                [Problem(str(target), None, None, f"{size:,} bytes, over the limit of {limit:,}")]
            )
        with temp.open(encoding="utf-8", newline="") as stream:
            text = stream.read().removeprefix("\ufeff")
        as_json = target.suffix.lower() == ".json"
        document = parse_document(text, name=str(target), as_json=as_json)
        return proposal_from_document(document, codebook=codebook)
    except (DocumentError, ProposalFileError) as exc:
        problems = tuple(exc.problems)
    raise ArchiveError(
        [Problem(str(target), p.line, p.field, f"after the edit: {p.message}") for p in problems]
    ) from None
