"""PA-X, the Peace Agreements Database: proposals as PA-X rows, and PA-X rows as proposals.

    >>> from negpos.corpus import Corpus
    >>> from negpos.interop.pax import from_pax, to_pax
    >>> table = to_pax(Corpus.from_dir("examples/ukraine"))  # one row per proposal
    >>> agreements = from_pax("examples/pax/pax-sample-handmade.csv")  # list of Proposal

PA-X codes, agreement by agreement, whether a text contains provisions on a topic (0/1, or a
level from 0 to 3); negpos codes what one side demands. The crosswalk
(``negpos/codebooks/crosswalks/pax.yaml``, ``load_pax_crosswalk``) says which issues
correspond to which PA-X variables and what is lost each way; this module applies it.

- ``to_pax`` gives a wide table in PA-X's column conventions: one row per proposal, the
  negpos id, PA-X's ``AgtId`` (for a proposal read from PA-X), ``Agt``, ``Dat`` and
  ``UcdpCon``, then one nullable integer column per mapped PA-X variable.
- ``from_pax`` reads PA-X-style rows (a DataFrame, a list of mappings, or a CSV file) into
  proposals whose stances are ``unspecified`` (addressed, level not stated), ``basis:
  reported``, with the PA-X row as their source and ``Ce = 3`` (column = value) as the
  evidence locator, so ``negpos.compare`` sets them beside proposals coded in negpos.

Errors::

    NegposError
    ├── ProposalFileError
    │   └── PaxRowError        rows that cannot be read as PA-X agreements (row by row)
    └── CodebookError
        └── CrosswalkError     a crosswalk file that is not valid (file, line, field)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from negpos.codebook import IssueKind
from negpos.corpus import Corpus
from negpos.documents import max_file_bytes
from negpos.errors import Problem, ProposalFileError
from negpos.interop.crosswalk import (
    IssueMatch,
    PaxCrosswalk,
    PaxVariable,
    as_pax_crosswalk,
)
from negpos.model import Proposal, ProposalStatus
from negpos.positions import (
    AnyBut,
    AtLeast,
    EveryoneBut,
    Position,
    Unstated,
    positions_of,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PROPOSAL_COLUMN", "PaxRowError", "from_pax", "pax_agreement_id", "to_pax"]

PROPOSAL_COLUMN = "proposal"
"""The column of ``to_pax``'s table that holds the negpos proposal id."""

SIGNATORIES = "signatories"
"""The id of the one author party of a proposal read from PA-X."""

THIRD_PARTIES = "third-parties"
"""The id of the party standing for PA-X's third parties, when a row names any."""

_LOCATOR = re.compile(r"^([A-Za-z][A-Za-z0-9]*) = ([0-3])$")
_SOURCE_ID = re.compile(r"^pax-([0-9]+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = {"", "NA", "N/A", "NaN", "nan", "<NA>", "None"}


class PaxRowError(ProposalFileError):
    """PA-X-style rows that cannot be read as proposals; ``problems`` lists every reason,
    each with its row (and the line, for a CSV file) and column."""


# ------------------------------------------------------------------ negpos -> PA-X


def to_pax(
    proposals: Corpus | Proposal | Iterable[Proposal],
    *,
    crosswalk: PaxCrosswalk | str | os.PathLike[str] | None = None,
    exclude_inferred: bool = False,
) -> pd.DataFrame:
    """A wide table in PA-X's column conventions: one row per proposal.

    Columns: ``proposal`` (the negpos id); ``AgtId`` (PA-X's agreement id, for a proposal read
    from PA-X, else <NA>); ``Agt`` (the title); ``Dat`` (the date, YYYY-MM-DD);
    ``UcdpCon`` (the proposal's ``ucdp_conflict_id``, else <NA>); then one nullable integer
    column per PA-X variable of the crosswalk, in its order.

    A variable is 0 when the proposal takes no stance that counts, 1 (a 0/1 variable) when it
    takes one, and <NA> when negpos cannot tell: a 0-3 variable's level (negpos does not code
    how detailed a text is), a variable the crosswalk only reads from PA-X, a stance that
    leaves open whether it counts (``unspecified``). A stance read from PA-X gives back
    PA-X's own value; in a proposal read from PA-X, a variable from_pax did not read is <NA>.
    Stances in alternative packages count; ``exclude_inferred=True`` leaves out the coder's
    inferences, as ``negpos compare --exclude-inferred`` does.
    """
    import pandas as pd

    walk = as_pax_crosswalk(crosswalk)
    columns = walk.columns
    rows: list[dict[str, object]] = []
    for proposal in _proposals(proposals):
        position_set = positions_of(proposal)
        if exclude_inferred:
            position_set = position_set.without_inferred()
        positions = position_set.all_positions()
        agreement_id = pax_agreement_id(proposal, walk)
        row: dict[str, object] = {
            PROPOSAL_COLUMN: proposal.id,
            columns.agreement_id: agreement_id,
            columns.agreement_name: proposal.title,
            columns.date: proposal.date.isoformat(),
            columns.ucdp_conflict_id: getattr(proposal, "ucdp_conflict_id", None),
        }
        for variable in walk.variables:
            row[variable.pax] = _pax_value(
                variable, positions, walk, from_pax_row=agreement_id is not None
            )
        rows.append(row)
    names = [
        PROPOSAL_COLUMN,
        columns.agreement_id,
        columns.agreement_name,
        columns.date,
        columns.ucdp_conflict_id,
        *(v.pax for v in walk.variables),
    ]
    frame = pd.DataFrame(rows, columns=names)
    integers = [columns.agreement_id, columns.ucdp_conflict_id, *(v.pax for v in walk.variables)]
    return frame.astype(dict.fromkeys(integers, "Int64"))


def _proposals(proposals: Corpus | Proposal | Iterable[Proposal]) -> list[Proposal]:
    if isinstance(proposals, Proposal):
        return [proposals]
    if isinstance(proposals, Corpus):
        return list(proposals.proposals)
    found = list(proposals)
    for item in found:
        if not isinstance(item, Proposal):
            raise TypeError(
                f"to_pax takes proposals, a Corpus or one Proposal; got a {type(item).__name__}"
            )
    return found


def pax_agreement_id(proposal: Proposal, crosswalk: PaxCrosswalk | None = None) -> int | None:
    """PA-X's agreement id of a proposal read from PA-X (a source ``pax-<AgtId>`` published by
    PA-X), else None."""
    publisher = as_pax_crosswalk(crosswalk).pax.publisher
    for source in proposal.sources:
        found = _SOURCE_ID.match(source.id)
        if found and source.publisher == publisher:
            return int(found.group(1))
    return None


def _pax_levels(position: Position, publisher: str) -> dict[str, int] | None:
    """The PA-X columns and values a stance read from PA-X carries in its evidence locators,
    or None for a stance coded in negpos."""
    levels: dict[str, int] | None = None
    for citation in position.evidence:
        if citation.source.publisher != publisher or not _SOURCE_ID.match(citation.source.id):
            continue
        levels = {} if levels is None else levels
        found = _LOCATOR.match(citation.locator or "")
        if found:
            column, level = found.group(1), int(found.group(2))
            levels[column] = max(level, levels.get(column, 0))
    return levels


def _pax_value(
    variable: PaxVariable,
    positions: Sequence[Position],
    crosswalk: PaxCrosswalk,
    *,
    from_pax_row: bool,
) -> int | None:
    """One variable's value for one proposal: 0, 1, a level 1-3, or None (<NA>)."""
    hits = [
        (position, match)
        for position in positions
        for match in variable.negpos
        if position.definition.key == match.key
    ]
    if not hits:
        # Silent on every issue of the variable: 0, unless the proposal came from PA-X and
        # from_pax never read this variable, so silence says nothing.
        return None if from_pax_row and not variable.reads else 0
    carried: list[int] = []
    own: list[tuple[Position, IssueMatch]] = []
    for position, match in hits:
        levels = _pax_levels(position, crosswalk.pax.publisher)
        if levels is None:
            own.append((position, match))
        elif variable.pax in levels:
            carried.append(levels[variable.pax])
    if carried:
        return max(carried)  # PA-X's own coding wins
    if not own:  # only stances read from PA-X, none for this column
        return 0 if variable.reads else None
    if not variable.writes:
        return None
    verdicts = [_counts(position, match) for position, match in own]
    if any(verdict is True for verdict in verdicts):
        return 1 if variable.scale == "binary" else None
    if any(verdict is None for verdict in verdicts):
        return None
    return 0


def _counts(position: Position, match: IssueMatch) -> bool | None:
    """Whether a stance is one the variable counts: True, False, or None when the stance
    leaves it open (``unspecified``, or a ``{not: ...}`` or open list that may go either way)."""
    if match.values is None:
        return True
    wanted = set(match.values)
    value = position.value
    definition = position.definition
    if isinstance(value, Unstated):
        return None
    if isinstance(value, AnyBut):
        allowed = set(definition.values) - value.values
        if allowed <= wanted:
            return True
        return None if allowed & wanted else False
    if isinstance(value, AtLeast):
        return True if value.items & wanted else None
    if isinstance(value, EveryoneBut):
        return bool((set(definition.values) - value.items) & wanted)
    if isinstance(value, frozenset):
        if definition.universal is not None and definition.universal in value:
            return bool(set(definition.values) & wanted)
        return bool(value & wanted)
    if definition.kind == IssueKind.BOOLEAN:
        return isinstance(value, bool) and value in wanted
    return isinstance(value, str) and value in wanted


# ------------------------------------------------------------------ PA-X -> negpos


@dataclass(frozen=True, slots=True)
class _Row:
    number: int  # 1-based, after the header
    line: int | None  # the line it starts on, for a CSV file
    cells: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class _Table:
    name: str | None
    header: tuple[str, ...]
    header_line: int | None
    rows: tuple[_Row, ...]


def from_pax(
    rows: pd.DataFrame | Iterable[Mapping[str, object]] | str | os.PathLike[str],
    *,
    crosswalk: PaxCrosswalk | str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
) -> list[Proposal]:
    """Proposals from PA-X-style rows: a pandas DataFrame, a list of mappings (column ->
    value), or the path of a CSV file (UTF-8; lines starting with ``#`` before the header are
    comments), one proposal per row, in order.

    Columns PA-X's way, case and all: ``AgtId``, ``Agt`` and ``Dat`` are required, and so is
    every provision column the crosswalk reads (``Ce``, ``CeProv``, ...: see
    ``load_pax_crosswalk().read_columns``), each 0 to 3. ``Status``, ``Con``, ``Contp``,
    ``Stage``, ``Part``, ``ThrdPart`` and ``UcdpCon`` are used when present; other columns are
    ignored.

    Each proposal has the id ``pax-<AgtId>``, the agreement's name as title, its date, the
    status the crosswalk gives PA-X's ``Status`` (``reported`` without one), and one source:
    the PA-X record, with the agreement's address. Every value of 1 to 3 in a column the
    crosswalk reads becomes the stance the crosswalk names (``unspecified``), ``basis:
    reported``, its evidence the PA-X source with the locator ``Ce = 3``; 0 is no stance.
    PA-X names signatories as free text, which is not parsed: the one author is a party
    ``signatories`` (kind ``other``), and the text of ``Part`` and ``ThrdPart``, with ``Con``,
    ``Contp``, ``Stage`` and ``UcdpCon``, goes into the proposal's note.

    Raises ``PaxRowError`` listing every problem, row by row (with its line in a CSV file):
    a missing column, a value that is not 0 to 3, a date not written YYYY-MM-DD, an id that
    is not a whole number or repeats.
    """
    walk = as_pax_crosswalk(crosswalk)
    table = _read_table(rows, max_bytes=max_bytes)
    problems = _check_columns(table, walk)
    if problems:
        raise PaxRowError(problems)
    proposals: list[Proposal] = []
    seen: dict[int, int] = {}
    for row in table.rows:
        agreement_id, data, row_problems = _proposal_data(row, table, walk)
        if agreement_id is not None:
            if agreement_id in seen:
                row_problems.append(
                    _problem(
                        table,
                        row,
                        walk.columns.agreement_id,
                        f"{agreement_id} repeats (first in row {seen[agreement_id]}): one row "
                        "per agreement",
                    )
                )
            seen.setdefault(agreement_id, row.number)
        if row_problems or data is None:
            problems += row_problems
            continue
        try:
            proposals.append(Proposal.model_validate(data))
        except ValidationError as exc:
            problems += [
                _problem(table, row, ".".join(str(part) for part in error["loc"]), error["msg"])
                for error in exc.errors(include_url=False)
            ]
    if problems:
        raise PaxRowError(problems)
    return proposals


def _problem(table: _Table, row: _Row | None, column: str | None, message: str) -> Problem:
    where = None if row is None else f"row {row.number}"
    field = ", ".join(part for part in (where, column) if part) or None
    return Problem(table.name, row.line if row is not None else table.header_line, field, message)


# ------------------------------------------------------------------ reading the rows


def _read_table(
    rows: pd.DataFrame | Iterable[Mapping[str, object]] | str | os.PathLike[str],
    *,
    max_bytes: int | None,
) -> _Table:
    if isinstance(rows, str | os.PathLike):
        return _read_csv(Path(rows), max_bytes=max_bytes)
    if hasattr(rows, "columns") and hasattr(rows, "to_dict"):  # a pandas DataFrame
        header = tuple(str(name) for name in rows.columns)
        records = rows.to_dict(orient="records")
        return _Table(
            None,
            header,
            None,
            tuple(
                _Row(number, None, {str(k): v for k, v in record.items()})
                for number, record in enumerate(records, start=1)
            ),
        )
    found: list[_Row] = []
    header_names: dict[str, None] = {}
    for number, record in enumerate(rows, start=1):
        if not isinstance(record, Mapping):
            raise TypeError(
                "from_pax takes a DataFrame, mappings of column to value, or a CSV path; "
                f"row {number} is a {type(record).__name__}"
            )
        cells = {str(key): value for key, value in record.items()}
        header_names.update(dict.fromkeys(cells))
        found.append(_Row(number, None, cells))
    return _Table(None, tuple(header_names), None, tuple(found))


def _read_text(path: Path, max_bytes: int | None) -> str:
    """The file's text, under the same limits as proposal files, or one problem."""
    name = str(path)

    def refuse(message: str) -> PaxRowError:
        return PaxRowError([Problem(name, None, None, message)])

    try:
        limit = max_file_bytes(max_bytes)
    except ValueError as exc:
        raise refuse(str(exc)) from None
    if not path.exists():
        raise refuse("no such file")
    if not path.is_file():
        raise refuse("not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise refuse(
            f"the file is {size:,} bytes, over the limit of {limit:,}; raise it with max_bytes= "
            "or NEGPOS_MAX_FILE_BYTES"
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text ({exc.reason}); save the file as UTF-8") from None
    except OSError as exc:
        raise refuse(f"cannot read the file: {exc.strerror or exc}") from None


def _read_csv(path: Path, *, max_bytes: int | None) -> _Table:
    name = str(path)

    def refuse(message: str) -> PaxRowError:
        return PaxRowError([Problem(name, None, None, message)])

    text = _read_text(path, max_bytes)
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (
        lines[skipped].lstrip().startswith("#") or not lines[skipped].strip()
    ):
        skipped += 1
    reader = csv.reader(io.StringIO("".join(lines[skipped:])))
    try:
        header = tuple(cell.strip() for cell in next(reader))
    except StopIteration:
        raise refuse("no header row: the file has no PA-X columns") from None
    except csv.Error as exc:
        raise refuse(f"not a CSV file: {exc}") from None
    header_line = skipped + 1
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise PaxRowError(
            [Problem(name, header_line, None, f"columns repeat: {', '.join(repeated)}")]
        )
    found: list[_Row] = []
    ended = reader.line_num
    number = 0
    try:
        for cells in reader:
            start = skipped + ended + 1
            ended = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            number += 1
            if len(cells) != len(header):
                raise PaxRowError(
                    [
                        Problem(
                            name,
                            start,
                            f"row {number}",
                            f"{len(cells)} cells for {len(header)} columns",
                        )
                    ]
                )
            found.append(_Row(number, start, dict(zip(header, cells, strict=True))))
    except csv.Error as exc:
        raise PaxRowError(
            [Problem(name, skipped + reader.line_num, None, f"not valid CSV: {exc}")]
        ) from None
    return _Table(name, header, header_line, tuple(found))


def _check_columns(table: _Table, crosswalk: PaxCrosswalk) -> list[Problem]:
    """Missing columns, and columns that are PA-X's names in the wrong case."""
    columns = crosswalk.columns
    required = [columns.agreement_id, columns.agreement_name, columns.date]
    provisions = list(crosswalk.read_columns)
    known = {
        *required,
        *provisions,
        columns.country,
        columns.conflict_type,
        columns.status,
        columns.stage,
        columns.parties,
        columns.third_parties,
        columns.ucdp_conflict_id,
        *(v.pax for v in crosswalk.variables),
    }
    present = set(table.header)
    problems: list[Problem] = []
    by_case = {name.lower(): name for name in known}
    for name in table.header:
        meant = by_case.get(name.lower())
        if meant is not None and meant != name:
            problems.append(
                _problem(
                    table,
                    None,
                    name,
                    f"PA-X writes this column {meant}: its names are case-sensitive",
                )
            )
    missing = [name for name in required if name not in present]
    if missing:
        problems.append(
            _problem(
                table,
                None,
                None,
                f"missing column(s) {', '.join(missing)}: every PA-X row needs its agreement's "
                f"id ({columns.agreement_id}), name ({columns.agreement_name}) and date "
                f"({columns.date})",
            )
        )
    absent = [name for name in provisions if name not in present]
    if absent:
        problems.append(
            _problem(
                table,
                None,
                None,
                f"missing provision column(s) {', '.join(absent)}: from_pax reads "
                f"{', '.join(provisions)} (0 to 3 each), and a missing one would read as 0",
            )
        )
    return problems


def _text(value: object) -> str | None:
    """A cell as text, or None when empty (blank, NA, NaN, None)."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return None
    text = " ".join(str(value).split())
    return None if text in _MISSING else text


def _lines(value: object) -> str | None:
    """A cell of several lines (PA-X's Part lists one signatory a line) on one line, its lines
    joined by semicolons."""
    if not isinstance(value, str):
        return _text(value)
    lines = [" ".join(line.split()) for line in value.splitlines()]
    text = "; ".join(line for line in lines if line)
    return None if text in _MISSING else text


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = _text(value)
    if text is not None and text.isdigit():
        return int(text)
    return None


def _provision_levels(
    cells: Mapping[str, object], crosswalk: PaxCrosswalk, problem: Callable[[str, str], None]
) -> dict[str, int]:
    """The PA-X level (1 to 3) of every provision the crosswalk reads that the row codes."""
    levels: dict[str, int] = {}
    for variable in crosswalk.variables:
        if not variable.reads:
            continue
        raw = cells.get(variable.pax)
        level = _whole_number(raw)
        if level is None or level > 3:
            problem(variable.pax, f"expected PA-X's coding 0, 1, 2 or 3; got {_shown(raw)}")
        elif level:
            levels[variable.pax] = level
    return levels


def _proposal_data(
    row: _Row, table: _Table, crosswalk: PaxCrosswalk
) -> tuple[int | None, dict[str, Any] | None, list[Problem]]:
    """One row's agreement id (if it is one), its proposal data (None if the row has
    problems) and its problems."""
    columns = crosswalk.columns
    cells = row.cells
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(_problem(table, row, column, message))

    agreement_id = _whole_number(cells.get(columns.agreement_id))
    if agreement_id is None:
        problem(
            columns.agreement_id,
            "expected PA-X's agreement id, a whole number; got "
            f"{_shown(cells.get(columns.agreement_id))}",
        )
    name = _text(cells.get(columns.agreement_name))
    if name is None:
        problem(columns.agreement_name, "the agreement's name is empty")
    written_date = _text(cells.get(columns.date))
    date = _date(written_date)
    if date is None:
        problem(
            columns.date,
            f"expected a date YYYY-MM-DD, as PA-X writes {columns.date}; got "
            f"{_shown(cells.get(columns.date))}",
        )
    status = ProposalStatus.REPORTED
    written_status = _text(cells.get(columns.status))
    if written_status is not None:
        mapped = crosswalk.status_of(written_status)
        if mapped is None:
            listed = "; ".join(entry.pax for entry in crosswalk.status)
            problem(
                columns.status, f"expected one of PA-X's statuses: {listed}; got {written_status!r}"
            )
        else:
            status = mapped
    ucdp = _text(cells.get(columns.ucdp_conflict_id))
    ucdp_id = _whole_number(ucdp) if ucdp is not None else None
    if ucdp is not None and ucdp_id is None:
        problem(
            columns.ucdp_conflict_id,
            f"expected a UCDP conflict id (a whole number) or nothing; got {ucdp!r}",
        )
    levels = _provision_levels(cells, crosswalk, problem)
    if problems or agreement_id is None or name is None or date is None:
        return agreement_id, None, problems
    source_id = f"pax-{agreement_id}"
    data: dict[str, Any] = {
        "id": source_id,
        "title": name,
        "label": f"PA-X {agreement_id}",
        "date": date.isoformat(),
        "status": status.value,
        "form": "text",
        "authors": [SIGNATORIES],
        "parties": _parties(cells, crosswalk),
        "sources": [
            {
                "id": source_id,
                "publisher": crosswalk.pax.publisher,
                "title": name,
                "url": crosswalk.pax.agreement_address(agreement_id),
                "note": f"PA-X's coding of the agreement ({crosswalk.pax.name}, variable names "
                f"of version {crosswalk.pax.version}): which provisions its text contains, "
                "not the text itself",
            }
        ],
        "note": _note(cells, crosswalk, agreement_id, written_status),
    }
    if "ucdp_conflict_id" in Proposal.model_fields:
        data["ucdp_conflict_id"] = ucdp_id
    _add_stances(data, levels, crosswalk, source_id)
    return agreement_id, data, problems


def _shown(value: object) -> str:
    text = _text(value)
    return "nothing" if text is None else repr(text)


def _date(text: str | None) -> dt.date | None:
    if text is None or not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parties(cells: Mapping[str, object], crosswalk: PaxCrosswalk) -> list[dict[str, str]]:
    parties = [{"id": SIGNATORIES, "name": "Signatories (PA-X Part)", "kind": "other"}]
    if _text(cells.get(crosswalk.columns.third_parties)) is not None:
        parties.append(
            {"id": THIRD_PARTIES, "name": "Third parties (PA-X ThrdPart)", "kind": "other"}
        )
    return parties


def _note(
    cells: Mapping[str, object],
    crosswalk: PaxCrosswalk,
    agreement_id: int,
    written_status: str | None,
) -> str:
    columns = crosswalk.columns
    parts = [
        f"Read from PA-X (agreement {agreement_id}) by negpos.interop.pax.from_pax. PA-X codes "
        "which provisions a text contains and how detailed they are, not the positions it "
        "takes: every stance is unspecified, its evidence locator the PA-X column and value."
    ]
    described = [
        ("Country/entity", columns.country),
        ("Conflict type", columns.conflict_type),
        ("Stage", columns.stage),
        ("Signatories", columns.parties),
        ("Third parties", columns.third_parties),
        ("UCDP conflict", columns.ucdp_conflict_id),
    ]
    for label, column in described:
        text = _lines(cells.get(column))
        if text is not None:
            parts.append(f"{label} ({column}): {text.rstrip('.')}.")
    if written_status is None:
        parts.append(f"No PA-X {columns.status} given: the proposal's status is reported.")
    return " ".join(parts)


def _add_stances(
    data: dict[str, Any], levels: Mapping[str, int], crosswalk: PaxCrosswalk, source_id: str
) -> None:
    """One stance per issue key, citing every PA-X column that gave it."""
    by_key: dict[str, tuple[object, list[tuple[PaxVariable, int]]]] = {}
    for variable in crosswalk.variables:
        level = levels.get(variable.pax)
        if not level or variable.from_pax is None:
            continue
        entry = by_key.setdefault(variable.from_pax.key, (variable.from_pax.value, []))
        entry[1].append((variable, level))
    for key, (value, found) in by_key.items():
        coded = ", ".join(f"{v.label} ({v.pax} = {level})" for v, level in found)
        stance = {
            "value": value,
            "basis": "reported",
            "evidence": [
                {"source": source_id, "locator": f"{v.pax} = {level}"} for v, level in found
            ],
            "note": f"PA-X codes {coded}: the text has such provisions; what they say is not coded",
        }
        section, _, field = key.partition(".")
        if section == "reparations":
            data.setdefault("reparations", {})[field] = stance
        else:
            data.setdefault("issues", {})[key] = stance
