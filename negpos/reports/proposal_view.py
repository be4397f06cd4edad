"""One proposal as a table: every stance with its weight and sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negpos.model import Proposal
from negpos.positions import Position, PositionSet, plain_value, positions_of, value_text
from negpos.provenance.check import ProvenanceSummary
from negpos.reports.report import TableReport
from negpos.reports.table import Bibliography, StanceNotes, Table
from negpos.values import NumberRange, format_number

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ProposalView", "acceptable_text", "describe_proposal", "show"]


def show(proposal: Proposal, *, path: Path | None = None) -> ProposalView:
    """A proposal's stances, ready to print or export; with the file's ``path``, its
    provenance too (how many stances have evidence, verified quotes, inferences)."""
    summary = None
    if path is not None:
        from negpos.errors import NegposError
        from negpos.provenance.check import check_proposal

        try:
            summary = check_proposal(proposal, path=path)[1]
        except NegposError:  # an archive needs the provenance extra: show the stances anyway
            summary = None
    return ProposalView(proposal=proposal, positions=positions_of(proposal), provenance=summary)


def describe_proposal(proposal: Proposal) -> str:
    """'Label (title, date, status)': how tables name a proposal."""
    return (
        f"{proposal.display_label} ({proposal.title}, "
        f"{proposal.date.isoformat()}, {proposal.status.value})"
    )


@dataclass(frozen=True, slots=True)
class ProposalView(TableReport):
    proposal: Proposal
    positions: PositionSet
    provenance: ProvenanceSummary | None = None

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per stance: the position set's records with what the stance would also
        accept (a list of values, or ``{min, max}``), its note and full source records."""
        records = self.positions.to_records()
        for record, position in zip(records, self.positions.all_positions(), strict=True):
            record["acceptable"] = _acceptable_record(position)
            record["note"] = position.note
            record["sources"] = [
                s.model_dump(mode="json", exclude_none=True) for s in position.sources
            ]
        return records

    def to_frame(self) -> pd.DataFrame:
        """The long form of stances (``STANCE_SCHEMA``: the value as data, ``text`` as a
        reader reads it, each column of its dtype), and ``acceptable``: what the stance
        would also accept, as text (missing where nothing is said)."""
        import pandas as pd

        from negpos.positions import text_dtype

        frame = self.positions.to_frame()
        accepted = [acceptable_text(p) or None for p in self.positions.all_positions()]
        frame["acceptable"] = pd.Series(accepted, dtype=text_dtype(), index=frame.index)
        frame.attrs["proposal"] = self.proposal.id
        return frame

    def table(self) -> Table:
        bibliography = Bibliography()
        stance_notes = StanceNotes()
        rows = []
        for position in self.positions.all_positions():
            rows.append(
                (
                    self.proposal.codebook.category(position.category).label,
                    position.label,
                    stance_text(position, with_condition=False, with_red_line=False)
                    + stance_notes.mark(position),
                    acceptable_text(position),
                    _judged(
                        None if position.salience is None else f"{position.salience:.2f}",
                        position.salience_basis,
                    ),
                    _judged("yes" if position.red_line else None, position.red_line_basis),
                    position.condition_text or "",
                    bibliography.cite_position(position),
                )
            )
        notes = [f"Authors: {', '.join(self._names(self.proposal.authors))}."]
        if self.proposal.form is not None:
            notes.append(f"Form: {self.proposal.form.value}.")
        if self.proposal.speaker is not None:
            notes.append(f"Voiced by: {self.proposal.speaker}.")
        if self.proposal.addressees:
            notes.append(f"Addressed to: {', '.join(self._names(self.proposal.addressees))}.")
        if self.proposal.note:
            notes.append(self.proposal.note)
        if self.provenance is not None:
            p = self.provenance
            notes.append(
                f"Provenance: {p.with_evidence} of {p.stances} stances with evidence; "
                f"{p.quotes_verified} with a quote verified in an archived copy "
                f"({p.share_verified:.0%}); {p.inferred} resting in part on the coder's "
                f"inference ({p.share_inferred:.0%}). `negpos check` lists the details."
            )
        return Table(
            title=describe_proposal(self.proposal),
            headers=(
                "Category",
                "Issue",
                "Stance",
                "Would accept",
                "Salience",
                "Red line",
                "Condition",
                "Sources",
            ),
            rows=tuple(rows),
            notes=tuple(notes),
            stance_notes=stance_notes.notes,
            references=bibliography.references,
            quotes=bibliography.quotes,
            wrap_widths=(14, 24, 30, 20, 8, 8, 24, 10),
            numeric_columns=frozenset({4}),
        )

    def _names(self, party_ids: tuple[str, ...]) -> list[str]:
        return [(p.name if (p := self.proposal.party(i)) else i) for i in party_ids]


def _judged(value: str | None, basis: str | None) -> str:
    """A red line or salience as a cell, marked where it is the coder's inference."""
    if value is None:
        return ""
    return f"{value} (inferred)" if basis == "inferred" else value


def stance_text(
    position: Position | None, *, with_condition: bool = True, with_red_line: bool = True
) -> str:
    """A stance as one cell: its value, the part of a region it is about, whether it is a red
    line, its condition, and the alternative it belongs to."""
    if position is None:
        return "—"
    return position.describe(red_line=with_red_line, condition=with_condition)


def acceptable_text(position: Position) -> str:
    """What a side would settle for besides its stance (``acceptable`` in the file), as a
    reader reads it: ``deferred or frozen``, ``30,000–50,000 personnel``, ``at most 90 days``;
    empty where it states no fallback."""
    acceptable = position.acceptable
    if acceptable is None:
        return ""
    unit = f" {position.unit}" if position.unit else ""
    if isinstance(acceptable, NumberRange):
        if acceptable.min is None:
            return f"at most {format_number(acceptable.max or 0.0)}{unit}"
        if acceptable.max is None:
            return f"at least {format_number(acceptable.min)}{unit}"
        return f"{acceptable}{unit}"
    texts = sorted(
        value_text(position.definition, value, position.unit, position.party_names)
        for value in acceptable
    )
    return " or ".join(texts)


def _acceptable_record(position: Position) -> list[Any] | dict[str, float] | None:
    acceptable = position.acceptable
    if acceptable is None:
        return None
    if isinstance(acceptable, NumberRange):
        return acceptable.model_dump(exclude_none=True)
    return sorted((plain_value(value) for value in acceptable), key=repr)
