"""Proposal files: one proposal per YAML or JSON file, loaded whole or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from negpos.codebook import Codebook, default_codebook
from negpos.documents import (
    Document,
    DocumentError,
    problems_from_validation_error,
    read_document,
)
from negpos.errors import Problem, ProposalFileError
from negpos.model import Proposal

__all__ = [
    "PROPOSAL_SUFFIXES",
    "DirectoryLoad",
    "dump",
    "dumps",
    "load",
    "load_dir",
    "proposal_files",
]

PROPOSAL_SUFFIXES = (".yaml", ".yml", ".json")


def load(path: str | Path, *, codebook: Codebook | None = None) -> Proposal:
    """Load one proposal; raise ``ProposalFileError`` listing every problem with file and line."""
    try:
        document = read_document(path)
    except DocumentError as exc:
        raise ProposalFileError(exc.problems) from None
    return proposal_from_document(document, codebook=codebook)


def proposal_from_document(document: Document, *, codebook: Codebook | None = None) -> Proposal:
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
    try:
        return Proposal.model_validate(
            document.data, context={"codebook": codebook or default_codebook()}
        )
    except ValidationError as exc:
        raise ProposalFileError(problems_from_validation_error(exc, document)) from None


def proposal_files(directory: str | Path) -> list[Path]:
    """The proposal files directly in ``directory``, sorted by name (so loads are reproducible)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise ProposalFileError([Problem(str(folder), None, None, "not a directory")])
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in PROPOSAL_SUFFIXES
    )


@dataclass(frozen=True, slots=True)
class DirectoryLoad:
    """What ``load_dir(..., skip_invalid=True)`` loaded, and what it skipped and why."""

    proposals: tuple[Proposal, ...]
    skipped: tuple[Problem, ...]
    files: tuple[Path, ...] = ()  # the file of each proposal, in the same order

    def __iter__(self) -> Iterator[Proposal]:
        return iter(self.proposals)


def load_dir(
    directory: str | Path, *, codebook: Codebook | None = None, skip_invalid: bool = False
) -> DirectoryLoad:
    """Load every proposal file in a directory, sorted by file name.

    By default one bad file fails the whole load, with every problem of every file listed.
    With ``skip_invalid=True`` the good files load and ``skipped`` says what was left out.
    """
    proposals: list[Proposal] = []
    files: list[Path] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in proposal_files(directory):
        try:
            proposal = load(path, codebook=codebook)
        except ProposalFileError as exc:
            problems.extend(exc.problems)
            continue
        if proposal.id in seen:
            problems.append(
                Problem(
                    str(path), None, "id", f"{proposal.id!r} is also the id of {seen[proposal.id]}"
                )
            )
            continue
        seen[proposal.id] = path
        proposals.append(proposal)
        files.append(path)
    if problems and not skip_invalid:
        raise ProposalFileError(problems)
    if not proposals and not problems:
        raise ProposalFileError(
            [Problem(str(directory), None, None, "no .yaml, .yml or .json files in this directory")]
        )
    return DirectoryLoad(tuple(proposals), tuple(problems), tuple(files))


def to_data(proposal: Proposal) -> dict[str, Any]:
    """The proposal as plain data: what was written, without defaults left unset."""
    return proposal.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def dumps(proposal: Proposal, *, fmt: str = "yaml") -> str:
    """The proposal as YAML or JSON text that ``load`` reads back to an equal proposal."""
    data = to_data(proposal)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when PyYAML has it
        return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"unknown format {fmt!r}; use 'yaml' or 'json'")


def dump(proposal: Proposal, path: str | Path) -> Path:
    """Write the proposal to ``path``, as JSON if it ends in .json, else YAML."""
    target = Path(path)
    target.write_text(
        dumps(proposal, fmt="json" if target.suffix.lower() == ".json" else "yaml"),
        encoding="utf-8",
    )
    return target
