"""Checking a coding against its evidence: quotes, archived copies, dates and judgements.

A reviewer should be able to defend every cell of a table without redoing the coding. This
module does the mechanical part: each quote is looked up in the archived copy of its source
(after normalising the typography a copy-and-paste changes), each copy's hash is compared
with the one recorded, source dates are compared with the proposal's, and stances without
evidence or with inferred judgements are counted. What it cannot do is tell whether the
quote supports the coded value: that stays the reviewer's reading.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from negpos.codebook import CodebookOrPath, as_codebook
from negpos.documents import Document, DocumentError, dotted_field, read_document
from negpos.errors import Problem, ProposalFileError, printable
from negpos.files import is_proposal_file, proposal_files, proposal_from_document
from negpos.model import Basis, KeyedStance, Proposal, Source, StanceMeta
from negpos.provenance.archive import (
    ArchiveError,
    MissingExtraError,
    archived_text,
    require_extra,
    sha256_of,
)

__all__ = [
    "NEAR_MISS_SCORE",
    "CheckReport",
    "Finding",
    "FindingKind",
    "ProvenanceSummary",
    "Severity",
    "check_paths",
    "check_proposal",
    "normalise",
]

Loc = tuple[str | int, ...]
Severity = Literal["error", "warning", "info"]

NEAR_MISS_SCORE = 90.0  # rapidfuzz similarity (0-100) from which a quote is a misquote
_PASSAGE_CHARS = 160
_NO_FILE = "<input>"


# --- normalising quotes -------------------------------------------------------------------

_QUOTE_MARKS = "‘’‚‛′ʼʹ`´‹›"
_DOUBLE_MARKS = "“”„‟″〝〞«»"
_DASHES = "‐‑‒–—―−﹘﹣－"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys(_QUOTE_MARKS, "'"),
        **dict.fromkeys(_DOUBLE_MARKS, '"'),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_INVISIBLE, None),
    }
)
_TYPOGRAPHY_INVISIBLE = str.maketrans(dict.fromkeys(_INVISIBLE, None))
# A hyphen (or soft hyphen) at a line break, between two letters: a word split by layout.
_SPLIT_WORD = re.compile(
    r"(?<=[^\W\d_])[-\u2010\u2011\u00ad][^\S\r\n]*(?:\r\n|[\n\r\v\f\x85\u2028\u2029])\s*"
    r"(?=[^\W\d_])"
)


@dataclass(frozen=True, slots=True)
class _Normalised:
    """Normalised text, and for each of its characters the span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original(self, source: str, start: int, end: int) -> str:
        """The source text behind ``self.text[start:end]``, its whitespace tidied."""
        if start >= end:
            return ""
        passage = source[self.starts[start] : self.ends[end - 1]]
        return " ".join(passage.translate(_TYPOGRAPHY_INVISIBLE).split())


def _normalised(text: str) -> _Normalised:
    """``normalise`` keeping track of where each character came from (to quote the source)."""
    skips = {m.start(): m.end() for m in _SPLIT_WORD.finditer(text)}
    cache: dict[str, str] = {}
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    space: tuple[int, int] | None = None  # a pending run of whitespace
    i, size = 0, len(text)
    while i < size:
        if i in skips:
            i = skips[i]
            continue
        j = i + 1  # a character with its combining marks is normalised as one
        while (
            j < size and text[j] >= "\u0300" and unicodedata.combining(text[j]) and j not in skips
        ):
            j += 1
        cluster = text[i:j]
        piece = cache.get(cluster)
        if piece is None:
            piece = unicodedata.normalize("NFKC", cluster.translate(_TYPOGRAPHY))
            piece = cache[cluster] = piece.casefold().translate(_TYPOGRAPHY)
        for char in piece:
            if char.isspace():
                space = (space[0], j) if space is not None else (i, j)
                continue
            if space is not None and chars:
                chars.append(" ")
                starts.append(space[0])
                ends.append(space[1])
            space = None
            chars.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return _Normalised("".join(chars), tuple(starts), tuple(ends))


def normalise(text: str) -> str:
    """Text as quotes are matched: the same words typed or laid out differently compare equal.

    Unicode NFKC (per character with its combining marks), case-folded; curly and straight
    quotes and apostrophes unified (``'`` and ``"``), every dash made ``-``; soft hyphens and
    zero-width characters removed; a word hyphenated at a line break joined
    ("recog-\\nnition" is "recognition"); whitespace runs one space; stripped.
    """
    return _normalised(text).text


# --- findings and reports ----------------------------------------------------------------


class FindingKind(StrEnum):
    """What a check found."""

    QUOTE_VERIFIED = "quote_verified"  # the quote is in the archived copy, verbatim
    QUOTE_NEAR_MISS = "quote_near_miss"  # a close passage differs: a misquote or paraphrase
    QUOTE_NOT_FOUND = "quote_not_found"  # nothing close in the archived copy
    HASH_DIFFERS = "hash_differs"  # the copy changed since its hash was recorded
    ARCHIVE_MISSING = "archive_missing"  # the copy named is not there (or cannot be read)
    NO_ARCHIVE = "no_archive"  # a quoted source has no copy to check against
    SOURCE_BEFORE_PROPOSAL = "source_before_proposal"
    SOURCE_LONG_AFTER = "source_long_after"
    NO_EVIDENCE = "no_evidence"  # a stance cites sources but no locator or quote
    INFERRED = "inferred"  # a judgement the coder marked as their own reading


_SEVERITY: dict[FindingKind, Severity] = {
    FindingKind.QUOTE_NOT_FOUND: "error",
    FindingKind.QUOTE_NEAR_MISS: "error",
    FindingKind.HASH_DIFFERS: "error",
    FindingKind.ARCHIVE_MISSING: "error",
    FindingKind.NO_ARCHIVE: "warning",
    FindingKind.SOURCE_BEFORE_PROPOSAL: "warning",
    FindingKind.SOURCE_LONG_AFTER: "warning",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check found, where it is, and what it means."""

    file: str
    line: int | None
    field: str
    kind: FindingKind
    message: str

    @property
    def severity(self) -> Severity:
        """error (the coding is not backed as written), warning (worth a look) or info."""
        return _SEVERITY.get(self.kind, "info")

    def line_text(self) -> str:
        """``file:line: field: message``, as negpos prints every problem."""
        return str(Problem(self.file, self.line, self.field or None, self.message))

    def to_record(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "kind": self.kind.value,
            "severity": self.severity,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ProvenanceSummary:
    """How well one proposal's stances are backed.

    Counts are of stances (alternatives' included): ``with_evidence`` have evidence (their own
    or their section's), ``quotes`` have a quote in it, ``quotes_verified`` have a quote found
    verbatim in an archived copy, ``inferred`` have a basis, red line or salience marked
    ``inferred``.
    """

    proposal_id: str
    file: str
    stances: int
    with_evidence: int
    quotes: int
    quotes_verified: int
    inferred: int

    @property
    def share_verified(self) -> float:
        """Share of stances with a verified quote (0 when there are no stances)."""
        return self.quotes_verified / self.stances if self.stances else 0.0

    @property
    def share_inferred(self) -> float:
        """Share of stances resting in part on the coder's inference."""
        return self.inferred / self.stances if self.stances else 0.0

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.proposal_id}: {self.stances} stances, "
            f"{self.with_evidence} with evidence, {self.quotes} quoted, "
            f"{self.quotes_verified} with a verified quote ({self.share_verified:.0%}), "
            f"{self.inferred} inferred ({self.share_inferred:.0%})"
        )

    def to_record(self) -> dict[str, Any]:
        return {
            "proposal_id": self.proposal_id,
            "file": self.file,
            "stances": self.stances,
            "with_evidence": self.with_evidence,
            "quotes": self.quotes,
            "quotes_verified": self.quotes_verified,
            "inferred": self.inferred,
            "share_verified": round(self.share_verified, 4),
            "share_inferred": round(self.share_inferred, 4),
        }


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything ``check_paths`` found, in file order, with a summary per proposal."""

    findings: tuple[Finding, ...]
    summaries: tuple[ProvenanceSummary, ...]

    @property
    def failed(self) -> bool:
        """True if a quote is not found or misquoted, a copy changed, or a copy is missing:
        what a research project's CI should stop on."""
        return any(f.severity == "error" for f in self.findings)

    def lines(self, verbose: bool = False) -> list[str]:
        """Errors and warnings one line each (with ``verbose``, info too), then a summary
        line per proposal."""
        shown = [f for f in self.findings if verbose or f.severity != "info"]
        return [f.line_text() for f in shown] + [str(s) for s in self.summaries]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per finding: file, line, field, kind, severity, message."""
        return [f.to_record() for f in self.findings]

    def summary_records(self) -> list[dict[str, Any]]:
        """One record per proposal, with the shares."""
        return [s.to_record() for s in self.summaries]

    def to_json(self, *, indent: int | None = 2) -> str:
        """``{"failed", "findings", "summaries"}`` with sorted keys: the same input gives the
        same bytes."""
        data = {
            "failed": self.failed,
            "findings": self.to_records(),
            "summaries": self.summary_records(),
        }
        return json.dumps(data, indent=indent, ensure_ascii=False, sort_keys=True) + "\n"


# --- checking ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Copy:
    """An archived copy read once: its text and the text normalised."""

    text: str
    normalised: _Normalised


@dataclass(slots=True)
class _Cache:
    """Copies, hashes and lookups shared by the proposals of one check."""

    copies: dict[Path, _Copy | ArchiveError] = field(default_factory=dict)
    hashes: dict[Path, str] = field(default_factory=dict)
    lookups: dict[tuple[Path, str], tuple[FindingKind, str]] = field(default_factory=dict)


def check_proposal(
    proposal: Proposal,
    *,
    path: Path | None,
    document: Document | None = None,
    long_after_days: int = 365,
) -> tuple[list[Finding], ProvenanceSummary]:
    """Check one proposal; ``path`` is its file (archives are relative to its folder, else to
    the working directory), ``document`` its parsed text for line numbers (read from ``path``
    when not given)."""
    return _check(proposal, path, document, long_after_days, _Cache())


def check_paths(
    paths: Sequence[Path],
    *,
    codebook: CodebookOrPath | None = None,
    long_after_days: int = 365,
) -> CheckReport:
    """Check every proposal file named, or found directly in a folder named.

    Every file is loaded first; if any fails, ``ProposalFileError`` lists every problem of
    every file and nothing is checked.
    """
    files = _files(paths)
    book = as_codebook(codebook)  # a path is read once, not once per file
    loaded: list[tuple[Path, Document, Proposal]] = []
    problems: list[Problem] = []
    for file in files:
        try:
            document = read_document(file)
            loaded.append((file, document, proposal_from_document(document, codebook=book)))
        except (DocumentError, ProposalFileError) as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProposalFileError(problems)
    cache = _Cache()
    findings: list[Finding] = []
    summaries: list[ProvenanceSummary] = []
    for file, document, proposal in loaded:
        found, summary = _check(proposal, file, document, long_after_days, cache)
        findings += found
        summaries.append(summary)
    return CheckReport(tuple(findings), tuple(summaries))


def _files(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders expanded to their proposal files; each file once."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = proposal_files(path)
            if not found:
                raise ProposalFileError(
                    [
                        Problem(
                            str(path), None, None, "no .yaml, .yml or .json files in this directory"
                        )
                    ]
                )
            files += found
        elif not is_proposal_file(path):
            raise ProposalFileError(
                [
                    Problem(
                        str(path), None, None, "not a proposal file: expected .yaml, .yml or .json"
                    )
                ]
            )
        else:
            files.append(path)
    seen: set[Path] = set()
    unique = []
    for file in files:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


class _Checker:
    """The checks of one proposal; findings collect in the order the checks meet them."""

    def __init__(
        self,
        proposal: Proposal,
        path: Path | None,
        document: Document | None,
        cache: _Cache,
    ) -> None:
        self.proposal = proposal
        path = None if path is None else Path(path)  # a str path works too
        self.name = str(path) if path is not None else (document.name if document else _NO_FILE)
        self.folder = path.parent if path is not None else Path()
        self.document = document
        self.cache = cache
        self.findings: list[Finding] = []
        self.copies: dict[str, _Copy | None] = {}  # by source id; None: no copy to check
        self.unchecked: dict[str, int] = {}  # quotes of sources without an archive

    def add(self, loc: Loc, kind: FindingKind, message: str) -> None:
        line = self.document.line_of(loc) if self.document is not None else None
        self.findings.append(Finding(self.name, line, dotted_field(loc), kind, message))

    def sources(self, long_after_days: int) -> None:
        """Each source's archive (there, unchanged) and date."""
        made = self.proposal.date
        for index, source in enumerate(self.proposal.sources):
            loc: Loc = ("sources", index)
            self.copies[source.id] = self._archive(loc, source)
            if source.date is None:
                continue
            days = (source.date - made).days
            if days < 0:
                self.add(
                    (*loc, "date"),
                    FindingKind.SOURCE_BEFORE_PROPOSAL,
                    f"source {source.id} is dated {source.date}, {_days(-days)} before the "
                    f"proposal ({made}): a source cannot report terms not yet made, unless it "
                    "reports an earlier stage",
                )
            elif days > long_after_days:
                self.add(
                    (*loc, "date"),
                    FindingKind.SOURCE_LONG_AFTER,
                    f"source {source.id} is dated {source.date}, {_days(days)} after the "
                    f"proposal ({made}), more than {long_after_days}: does it report these terms?",
                )

    def _archive(self, loc: Loc, source: Source) -> _Copy | None:
        if source.archive is None:
            return None
        file = _inside(self.folder, source.archive)
        if file is None:
            self.add(
                (*loc, "archive"),
                FindingKind.ARCHIVE_MISSING,
                f"archive of {source.id} is not read: {printable(source.archive)!r} is not a "
                "path inside the proposal's folder",
            )
            return None
        if file.is_file() and file.stat().st_size > MAX_ARCHIVE_BYTES:
            self.add(
                (*loc, "archive"),
                FindingKind.ARCHIVE_MISSING,
                f"archive {source.archive} of {source.id} is not read: larger than "
                f"{MAX_ARCHIVE_BYTES // 1_000_000} MB",
            )
            return None
        if not file.is_file():
            self.add(
                (*loc, "archive"),
                FindingKind.ARCHIVE_MISSING,
                f"archive of {source.id} is missing: no file {source.archive}",
            )
            return None
        if source.sha256 is not None:
            if file not in self.cache.hashes:
                self.cache.hashes[file] = sha256_of(file)
            actual = self.cache.hashes[file]
            if actual != source.sha256:
                self.add(
                    (*loc, "sha256"),
                    FindingKind.HASH_DIFFERS,
                    f"archive {source.archive} of {source.id} changed since its hash was "
                    f"recorded: sha256 is {actual[:12]}…, recorded {source.sha256[:12]}…",
                )
        copy = self.cache.copies.get(file)
        if copy is None:
            try:
                text = archived_text(file)
                copy = _Copy(text, _normalised(text))
            except MissingExtraError:
                raise
            except ArchiveError as exc:
                copy = exc
            self.cache.copies[file] = copy
        if isinstance(copy, ArchiveError):
            reason = "; ".join(p.message for p in copy.problems)
            self.add(
                (*loc, "archive"),
                FindingKind.ARCHIVE_MISSING,
                f"archive {source.archive} of {source.id} cannot be read: {reason}",
            )
            return None
        return copy

    def quote(self, loc: Loc, source_id: str, quote: str) -> bool:
        """Look a quote up in its source's copy; True if found verbatim."""
        source = self.proposal.source(source_id)
        if source is None or source.archive is None:
            self.unchecked[source_id] = self.unchecked.get(source_id, 0) + 1
            return False
        copy = self.copies.get(source_id)
        if copy is None:
            return False  # the archive is missing or unreadable: reported once, on the source
        file = _inside(self.folder, source.archive)
        if file is None:
            return False  # outside the folder: reported once, on the source
        key = (file, quote)
        if key not in self.cache.lookups:
            self.cache.lookups[key] = _look_up(quote, copy)
        kind, detail = self.cache.lookups[key]
        where = f"{source_id} ({source.archive})"
        messages = {
            FindingKind.QUOTE_VERIFIED: f"quote found in {where}",
            FindingKind.QUOTE_NEAR_MISS: f"quote not verbatim in {where}: {detail}",
            FindingKind.QUOTE_NOT_FOUND: f"quote not found in {where}: {detail}",
        }
        self.add(loc, kind, messages[kind])
        return kind is FindingKind.QUOTE_VERIFIED

    def no_archive(self) -> None:
        for index, source in enumerate(self.proposal.sources):
            count = self.unchecked.get(source.id, 0)
            if count:
                quotes = "1 quote" if count == 1 else f"{count} quotes"
                self.add(
                    ("sources", index),
                    FindingKind.NO_ARCHIVE,
                    f"source {source.id} has no archive: {quotes} cannot be checked "
                    "(record a local copy with `negpos archive add`)",
                )


def _check(
    proposal: Proposal,
    path: Path | None,
    document: Document | None,
    long_after_days: int,
    cache: _Cache,
) -> tuple[list[Finding], ProvenanceSummary]:
    if document is None and path is not None:
        try:
            document = read_document(path)
        except DocumentError:
            document = None  # findings then carry no line numbers
    checker = _Checker(proposal, path, document, cache)
    checker.sources(long_after_days)
    for index, source in enumerate(proposal.sources):
        if source.quote is not None:
            checker.quote(("sources", index, "quote"), source.id, source.quote)
    sections = _sections(proposal)
    verified: dict[int, bool] = {}  # per section: does its evidence hold a verified quote
    for loc, section in sections:
        verified[id(section)] = _evidence(checker, loc, section)
    section_locs = {id(section): loc for loc, section in sections}
    stances = [
        *proposal.keyed_stances(),
        *(
            keyed
            for index, alternative in enumerate(proposal.alternatives)
            for keyed in alternative.keyed_stances(("alternatives", index))
        ),
    ]
    with_evidence = quoted = with_verified = inferred = 0
    for keyed in stances:
        section_loc = section_locs.get(id(keyed.section)) if keyed.section else None
        if keyed.stance.evidence:
            verified_here = _evidence(checker, keyed.loc, keyed.stance)
        elif keyed.evidence:  # the section's, which the stance takes (it cites nothing itself)
            verified_here = verified.get(id(keyed.section), False)
        else:
            verified_here = False
        evidence = [e for e in keyed.evidence if e.locator or e.quote]  # a bare source is no more
        with_evidence += bool(evidence)
        quoted += any(e.quote for e in evidence)
        with_verified += verified_here
        if not evidence:
            cited = ", ".join(keyed.sources) or "none"
            checker.add(
                keyed.loc,
                FindingKind.NO_EVIDENCE,
                f"{keyed.key}: no evidence (no locator or quote; sources: {cited})",
            )
        judged = _inferred(keyed, section_loc)
        for loc, what in judged:
            checker.add(
                loc,
                FindingKind.INFERRED,
                f"{keyed.key}: {what} inferred (the coder's reading; no source states it)",
            )
        inferred += bool(judged)
    checker.no_archive()
    # In the order of the file (a stable sort keeps the order of the checks within a line).
    findings = sorted(checker.findings, key=lambda f: f.line if f.line is not None else 0)
    summary = ProvenanceSummary(
        proposal_id=proposal.id,
        file=checker.name,
        stances=len(stances),
        with_evidence=with_evidence,
        quotes=quoted,
        quotes_verified=with_verified,
        inferred=inferred,
    )
    return findings, summary


def _sections(proposal: Proposal) -> list[tuple[Loc, StanceMeta]]:
    """The sections whose evidence and judgements bare stances inherit."""
    sections: list[tuple[Loc, StanceMeta]] = [
        *((("territory", i), t) for i, t in enumerate(proposal.territory)),
        *((("security", i), s) for i, s in enumerate(proposal.security)),
    ]
    if proposal.reparations is not None:
        sections.append((("reparations",), proposal.reparations))
    sections += [(("alternatives", i), a) for i, a in enumerate(proposal.alternatives)]
    return sections


def _evidence(checker: _Checker, loc: Loc, meta: StanceMeta) -> bool:
    """Check each quote of a stance's or section's evidence; True if one is verified."""
    found = False
    for index, item in enumerate(meta.evidence):
        if item.quote is not None:
            found |= checker.quote((*loc, "evidence", index, "quote"), item.source, item.quote)
    return found


def _inferred(keyed: KeyedStance, section_loc: Loc | None) -> list[tuple[Loc, str]]:
    """The judgements of a stance marked inferred, each where it is written."""
    judged = []
    for name, basis, what in (
        ("basis", keyed.basis, "basis"),
        ("red_line", keyed.red_line_basis, "red line"),
        ("salience", keyed.salience_basis, "salience"),
    ):
        if basis is not Basis.INFERRED:
            continue
        loc = keyed.loc
        written_on_stance = getattr(keyed.stance, name) is not None
        if written_on_stance:
            loc = (*keyed.loc, name)
        elif keyed.section is not None and section_loc is not None:
            if getattr(keyed.section, name) is not None:
                loc = (*section_loc, name)
            elif name != "basis" and keyed.stance.basis is not None:
                loc = (*keyed.loc, "basis")  # the judgement takes the stance's basis
        judged.append((loc, what))
    return judged


MAX_ARCHIVE_BYTES = 20_000_000
"""Archived copies larger than this are not read (a finding says so): a source excerpt or a
treaty text is far smaller, and matching cost grows with the text."""


def _inside(folder: Path, archive: str) -> Path | None:
    """The archive's file, if the path stays inside the proposal's folder (symlinks
    resolved); None for absolute paths, ``..`` escapes, NUL bytes or loops."""
    written = Path(archive)
    if written.is_absolute() or "\x00" in archive or ".." in written.parts:
        return None
    try:
        base = folder.resolve()
        file = (base / written).resolve()
    except (OSError, ValueError, RuntimeError):  # a symlink loop, an unreadable folder
        return None
    return file if file.is_relative_to(base) else None


def _found_whole(wanted: str, text: str) -> bool:
    """The quote stands in the text as whole words: "lawful" is not found in "unlawful"."""
    start = text.find(wanted)
    while start != -1:
        end = start + len(wanted)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() and wanted[0].isalnum()) and not (
            after.isalnum() and wanted[-1].isalnum()
        ):
            return True
        start = text.find(wanted, start + 1)
    return False


def _look_up(quote: str, copy: _Copy) -> tuple[FindingKind, str]:
    """Exact (normalised) match, else the closest passage and its similarity score."""
    wanted = normalise(quote)
    text = copy.normalised.text
    if not wanted:
        return FindingKind.QUOTE_NOT_FOUND, "the quote is empty"
    if _found_whole(wanted, text):
        return FindingKind.QUOTE_VERIFIED, ""
    if not text:
        return FindingKind.QUOTE_NOT_FOUND, "the archived copy holds no text (a scanned PDF?)"
    fuzz: Any = require_extra("rapidfuzz.fuzz", "finding the closest passage to a quote")
    alignment = fuzz.partial_ratio_alignment(wanted, text)
    score = float(alignment.score)
    start, end = _whole_words(text, alignment.dest_start, alignment.dest_end)
    passage = printable(_shorten(copy.normalised.original(copy.text, start, end)))
    detail = f"closest passage (score {score:.1f}): “{passage}”"
    if len(wanted) > len(text):
        detail += " (the quote is longer than the whole archived text)"
    kind = FindingKind.QUOTE_NEAR_MISS if score >= NEAR_MISS_SCORE else FindingKind.QUOTE_NOT_FOUND
    return kind, detail


def _whole_words(text: str, start: int, end: int, reach: int = 40) -> tuple[int, int]:
    """Widen a span to word boundaries (a little way at most) so the passage reads."""
    limit = max(0, start - reach)
    while start > limit and text[start - 1] != " ":
        start -= 1
    limit = min(len(text), end + reach)
    while end < limit and text[end] != " ":
        end += 1
    return start, end


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _shorten(text: str, limit: int = _PASSAGE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
