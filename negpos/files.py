"""Proposal files: one proposal per YAML or JSON file, loaded whole or not at all."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from negpos.codebook import Codebook, CodebookOrPath, as_codebook, default_codebook
from negpos.documents import (
    Document,
    DocumentError,
    problems_from_validation_error,
    read_document,
    yaml_text,
)
from negpos.errors import Problem, ProposalFileError
from negpos.model import Proposal
from negpos.model.proposal import unknown_issue_message

__all__ = [
    "PROPOSAL_SUFFIXES",
    "DirectoryLoad",
    "collector_paused",
    "dump",
    "dumps",
    "is_proposal_file",
    "load",
    "load_dir",
    "proposal_files",
]

PROPOSAL_SUFFIXES = (".yaml", ".yml", ".json")
"""What a proposal file's name ends in, in any case (``.YAML`` too); one rule for a file named
on its own and for the files of a folder."""

_NOT_A_PROPOSAL_FILE = "not a proposal file: its name does not end in .yaml, .yml or .json"


def is_proposal_file(path: str | Path) -> bool:
    """True if the name ends in ``.yaml``, ``.yml`` or ``.json``, in any case."""
    return Path(path).suffix.lower() in PROPOSAL_SUFFIXES


def load(
    path: str | Path, *, codebook: CodebookOrPath | None = None, max_bytes: int | None = None
) -> Proposal:
    """Load one proposal; raise ``ProposalFileError`` listing every problem with file and line.

    ``codebook`` is a ``Codebook`` or the path of a codebook file (default: negpos's own);
    ``max_bytes`` the size limit (default: ``NEGPOS_MAX_FILE_BYTES``, else 10 MB).
    """
    file = Path(path)
    if not is_proposal_file(file) and (file.exists() or file.is_symlink()):
        raise ProposalFileError([Problem(str(file), None, None, _NOT_A_PROPOSAL_FILE)])
    book = as_codebook(codebook)
    try:
        document = read_document(file, max_bytes=max_bytes)
    except DocumentError as exc:
        raise ProposalFileError(exc.problems) from None
    return proposal_from_document(document, codebook=book)


def proposal_from_document(
    document: Document, *, codebook: CodebookOrPath | None = None
) -> Proposal:
    """Validate parsed data as a proposal, mapping each error to its line."""
    if not isinstance(document.data, dict):
        found = type(document.data).__name__
        if isinstance(document.data, list):
            found = "a list"
        raise ProposalFileError(
            [
                Problem(
                    document.name,
                    document.line_of(()),
                    None,
                    f"expected a proposal (a mapping of fields such as id, title, date), got {found}",
                )
            ]
        )
    if _looks_like_a_codebook(document.data):
        raise ProposalFileError(
            [
                Problem(
                    document.name,
                    document.line_of(()),
                    None,
                    "this looks like a codebook, not a proposal; move it out of the folder or "
                    "pass it with --codebook FILE (codebook=... in Python)",
                )
            ]
        )
    book = as_codebook(codebook) or default_codebook()
    try:
        return Proposal.model_validate(document.data, context={"codebook": book})
    except ValidationError as exc:
        problems = problems_from_validation_error(exc, document, model=Proposal)
        raise ProposalFileError(_with_codebook_hint(problems, document, book)) from None


def _looks_like_a_codebook(data: dict[Any, Any]) -> bool:
    """Only codebook fields, and a codebook's own: categories, extends, or a list of issues
    (a proposal's issues are a mapping)."""
    return set(data) <= set(Codebook.model_fields) and (
        "categories" in data or "extends" in data or isinstance(data.get("issues"), list)
    )


def _with_codebook_hint(
    problems: list[Problem], document: Document, codebook: Codebook
) -> list[Problem]:
    """Several issues unknown to the codebook: most likely the file was coded with another
    one. Say so once, with the known issues, instead of listing them on every line."""
    unknown = unknown_issue_message(codebook)
    found = [p for p in problems if p.message.startswith(unknown)]
    if len(found) < 2:
        return problems
    shortened = [
        replace(p, message=unknown) if p.message.startswith(unknown) else p for p in problems
    ]
    hint = (
        f"{len(found)} issues are not in {codebook.name}: is this file coded with another "
        "codebook? Pass it with --codebook FILE (codebook=... in Python). "
        f"{codebook.name} defines: {', '.join(codebook.literal_keys())}"
    )
    return [*shortened, Problem(document.name, None, None, hint)]


def proposal_files(directory: str | Path) -> list[Path]:
    """The proposal files directly in ``directory``, sorted by name (so loads are reproducible):
    every entry whose name ends in a proposal suffix, except folders. Links that lead nowhere
    and files that cannot be read are among them, so loading them reports why."""
    return _scan(directory)[0]


def _scan(directory: str | Path) -> tuple[list[Path], list[Problem]]:
    """The proposal files of a folder, and a note for every other file in it (not for folders
    or hidden files such as .DS_Store)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ProposalFileError([Problem(str(folder), None, None, "not a directory")])
    found: list[Path] = []
    ignored: list[Problem] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:  # e.g. a folder one may enter but not list
        reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        raise ProposalFileError(
            [Problem(str(folder), None, None, f"cannot list the folder: {reason}")]
        ) from None
    for entry in entries:
        if entry.is_dir():  # follows links; False for a broken or looping link
            continue
        if is_proposal_file(entry):
            found.append(entry)
        elif not entry.name.startswith("."):
            ignored.append(Problem(str(entry), None, None, f"{_NOT_A_PROPOSAL_FILE}; ignored"))
    return found, ignored


@dataclass(frozen=True, slots=True)
class DirectoryLoad:
    """What ``load_dir`` loaded; what it skipped as invalid (``skip_invalid=True``) and why;
    and the other files of the folder it left alone, not being proposal files (``ignored``:
    one note each, for a caller to show)."""

    proposals: tuple[Proposal, ...]
    skipped: tuple[Problem, ...]
    files: tuple[Path, ...] = ()  # the file of each proposal, in the same order
    ignored: tuple[Problem, ...] = ()

    def __iter__(self) -> Iterator[Proposal]:
        return iter(self.proposals)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk load or compile, then restore its
    state (``negpos.corpus`` pauses it the same way for its bulk steps).

    A folder of proposals allocates millions of small objects (nodes, dicts, models), none of
    them in a reference cycle, so the collector finds nothing; yet each of its full (oldest
    generation) collections traverses the whole heap, which keeps growing, and together they
    made a 2,000-file load a third slower. Reference counting still frees everything as usual.
    A collector the caller had switched off stays off; one that was on is on again afterwards,
    whether the load succeeds or raises.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_dir(
    directory: str | Path,
    *,
    codebook: CodebookOrPath | None = None,
    skip_invalid: bool = False,
    max_bytes: int | None = None,
) -> DirectoryLoad:
    """Load every proposal file in a directory, sorted by file name.

    Proposal files are those whose names end in ``.yaml``, ``.yml`` or ``.json`` (any case);
    every other file is named in ``ignored``. By default one bad file fails the whole load,
    with every problem of every file listed (an unreadable file, a broken symbolic link and a
    file over the size limit are bad files too). With ``skip_invalid=True`` the good files load
    and ``skipped`` says what was left out.
    """
    book = as_codebook(codebook)
    paths, ignored = _scan(directory)
    proposals: list[Proposal] = []
    files: list[Path] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    with collector_paused():
        for path in paths:
            try:
                proposal = load(path, codebook=book, max_bytes=max_bytes)
            except ProposalFileError as exc:
                problems.extend(exc.problems)
                continue
            if proposal.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        "id",
                        f"{proposal.id!r} is also the id of {seen[proposal.id]}",
                    )
                )
                continue
            seen[proposal.id] = path
            proposals.append(proposal)
            files.append(path)
    if problems and not skip_invalid:
        raise ProposalFileError(problems)
    if not proposals and not problems:
        others = f" (ignored: {', '.join(Path(p.file or '').name for p in ignored)})"
        raise ProposalFileError(
            [
                Problem(
                    str(directory),
                    None,
                    None,
                    "no .yaml, .yml or .json files in this directory" + (others if ignored else ""),
                )
            ]
        )
    return DirectoryLoad(tuple(proposals), tuple(problems), tuple(files), tuple(ignored))


def to_data(proposal: Proposal) -> dict[str, Any]:
    """The proposal as plain data: what was written, without defaults left unset."""
    return proposal.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def dumps(proposal: Proposal, *, fmt: str = "yaml") -> str:
    """The proposal as YAML or JSON text that ``load`` reads back to an equal proposal."""
    data = to_data(proposal)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml_text(data)
    raise ValueError(f"unknown format {fmt!r}; use 'yaml' or 'json'")


def dump(proposal: Proposal, path: str | Path) -> Path:
    """Write the proposal to ``path``, as JSON if it ends in .json, else YAML."""
    target = Path(path)
    target.write_text(
        dumps(proposal, fmt="json" if target.suffix.lower() == ".json" else "yaml"),
        encoding="utf-8",
    )
    return target
