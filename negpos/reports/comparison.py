"""``compare(a, b)``: the comparison users hold, with its tables and exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negpos.engine import DiffSummary, IssueDiff, ProposalDiff, Relation, diff
from negpos.errors import ComparisonError
from negpos.model import Proposal, Source
from negpos.positions import (
    Position,
    figure_of,
    plain_value,
    positions_of,
    text_dtype,
    value_cell,
)
from negpos.reports.proposal_view import describe_proposal, stance_text
from negpos.reports.report import TableReport
from negpos.reports.table import Bibliography, StanceNotes, Table, inferred_note

if TYPE_CHECKING:
    import pandas as pd
    from great_tables import GT

__all__ = ["FRAME_COLUMNS", "Comparison", "compare", "stance_text"]

FRAME_COLUMNS = (
    "category",
    "category_label",
    "issue",
    "label",
    "stance_a",
    "stance_b",
    "relation",
    "gap",
    "reason",
    "explanation",
    "sources_a",
    "sources_b",
    "note_a",
    "note_b",
    "value_a",
    "value_b",
    "number_a",
    "number_b",
    "unit_a",
    "unit_b",
    "salience_a",
    "salience_b",
    "red_line_a",
    "red_line_b",
    "condition_a",
    "condition_b",
)
"""Columns of ``Comparison.to_frame()``. After the text columns, each side's stance as data:
``value_*`` as the long form of stances writes it (text), ``number_*`` the figure (float64),
``unit_*``, ``salience_*`` (float64), ``red_line_*`` (boolean: missing where the side is
silent) and ``condition_*`` (its text)."""

# pandas dtypes of the typed columns; every other column is text.
_FRAME_DTYPES = {
    "gap": "float64",
    "number_a": "float64",
    "number_b": "float64",
    "salience_a": "float64",
    "salience_b": "float64",
    "red_line_a": "boolean",
    "red_line_b": "boolean",
}


def compare(a: Proposal, b: Proposal, *, exclude_inferred: bool = False) -> Comparison:
    """Compare two proposals issue by issue.

    ``exclude_inferred`` leaves the coder's inferences out of relations and weights: stances
    marked ``basis: inferred`` are treated as unstated, inferred red lines as none, inferred
    salience as unstated.
    """
    left, right = positions_of(a), positions_of(b)
    if exclude_inferred:
        left, right = left.without_inferred(), right.without_inferred()
    return Comparison(a=a, b=b, result=diff(left, right), inferred_excluded=exclude_inferred)


@dataclass(frozen=True, slots=True)
class Comparison(TableReport):
    """Two proposals compared: ``issues`` row by row, a ``summary``, and every output format.

    Where a proposal offers alternative packages, each issue they state is judged with the
    alternative that comes closest to the other side (named in the row); ``alternatives``
    gives one whole comparison per package.
    """

    a: Proposal
    b: Proposal
    result: ProposalDiff
    alternative_a: str | None = None
    alternative_b: str | None = None
    inferred_excluded: bool = False

    @property
    def alternatives(self) -> tuple[Comparison, ...]:
        """One comparison per alternative package of either side, that package taken whole
        (the other side's alternatives still judged at their closest)."""
        left, right = self.result.a, self.result.b
        found = [
            Comparison(
                a=self.a,
                b=self.b,
                result=diff(left.with_alternative(alternative.id), right),
                alternative_a=alternative.id,
                inferred_excluded=self.inferred_excluded,
            )
            for alternative in left.alternatives
        ]
        found += [
            Comparison(
                a=self.a,
                b=self.b,
                result=diff(left, right.with_alternative(alternative.id)),
                alternative_b=alternative.id,
                inferred_excluded=self.inferred_excluded,
            )
            for alternative in right.alternatives
        ]
        return tuple(found)

    @property
    def issues(self) -> tuple[IssueDiff, ...]:
        return self.result.issues

    @property
    def summary(self) -> DiffSummary:
        return self.result.summary

    def issue(self, key: str) -> IssueDiff:
        """The row for one issue key, e.g. ``security.UA.membership.NATO``."""
        return self.result.issue(key)

    def select(
        self,
        *,
        relations: Iterable[Relation | str] | None = None,
        categories: Iterable[str] | None = None,
        keys: Iterable[str] | None = None,
    ) -> Comparison:
        """A comparison of only the matching issues, e.g. ``select(relations=["conflict"])``.

        An unknown category id is an error rather than an empty table.
        """
        if categories is not None:
            categories = list(categories)
            known = set(self.a.codebook.category_order) | set(self.b.codebook.category_order)
            unknown = sorted(set(categories) - known)
            if unknown:
                raise ComparisonError(
                    f"unknown category {', '.join(unknown)}; categories: {', '.join(sorted(known))}"
                )
        chosen = self.result.select(relations=relations, categories=categories, keys=keys)
        return Comparison(
            a=self.a,
            b=self.b,
            result=chosen,
            alternative_a=self.alternative_a,
            alternative_b=self.alternative_b,
            inferred_excluded=self.inferred_excluded,
        )

    def relations(self) -> dict[str, Relation]:
        """Issue key -> relation, the quickest view for scripts and tests."""
        return self.result.relations()

    # ------------------------------------------------------------------ data exports

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per issue, with both stances and full source records."""
        return [
            {
                "issue": item.key,
                "category": item.category,
                "category_label": item.category_label,
                "label": item.label,
                "relation": item.relation.value,
                "reason": item.reason.value,
                "gap": None if item.gap is None else round(item.gap, 6),
                "explanation": item.explanation,
                "stance_a": _stance_record(item.a),
                "stance_b": _stance_record(item.b),
                "sources_a": [_source_record(s) for s in item.sources_a],
                "sources_b": [_source_record(s) for s in item.sources_b],
                "proposal_a": _proposal_record(self.a),
                "proposal_b": _proposal_record(self.b),
            }
            for item in self.issues
        ]

    def to_gt(self, *, colours: bool = True, explanations: bool = True) -> GT:
        """The comparison as a great_tables ``GT``, for a paper or a web page: the proposals'
        titles as header, rows grouped by category, each relation cell in its figure colour,
        and the summary, notes, stance notes and numbered sources as source notes; all user
        text escaped. Render it with ``.as_raw_html()`` or ``.as_latex()`` (build it with
        ``colours=False`` for LaTeX: great_tables has no styles there yet);
        ``explanations=False`` leaves the Explanation column out. Needs the ``gt`` extra
        (``MissingExtraError`` otherwise); see ``negpos.reports.publication.comparison_gt``."""
        from negpos.reports.publication import comparison_gt

        return comparison_gt(self, colours=colours, explanations=explanations)

    def to_frame(self) -> pd.DataFrame:
        """A tidy DataFrame, one row per issue, columns ``FRAME_COLUMNS`` with one dtype each;
        ``attrs`` name both proposals."""
        import pandas as pd

        rows = [
            {
                "category": item.category,
                "category_label": item.category_label,
                "issue": item.key,
                "label": item.label,
                "stance_a": stance_text(item.a),
                "stance_b": stance_text(item.b),
                "relation": item.relation.value,
                "gap": item.gap,
                "reason": item.reason.value,
                "explanation": item.explanation,
                "sources_a": "; ".join(s.citation() for s in item.sources_a),
                "sources_b": "; ".join(s.citation() for s in item.sources_b),
                "note_a": _note(item.a),
                "note_b": _note(item.b),
                **_stance_data(item.a, "_a"),
                **_stance_data(item.b, "_b"),
            }
            for item in self.issues
        ]
        text = text_dtype()
        frame = pd.DataFrame(
            {
                column: pd.Series(
                    [row[column] for row in rows], dtype=_FRAME_DTYPES.get(column, text)
                )
                for column in FRAME_COLUMNS
            },
            columns=list(FRAME_COLUMNS),
        )
        frame.attrs["a"] = _proposal_record(self.a)
        frame.attrs["b"] = _proposal_record(self.b)
        return frame

    def csv_headers(self) -> list[str]:
        """Frame columns, with the proposals' names on the stance columns."""
        names = {
            "stance_a": f"stance_a: {self.a.display_label}",
            "stance_b": f"stance_b: {self.b.display_label}",
        }
        return [names.get(column, column) for column in FRAME_COLUMNS]

    # ------------------------------------------------------------------ tables

    def table(self) -> Table:
        """The comparison laid out for rendering: title, rows, summary and sources."""
        bibliography = Bibliography()
        notes = StanceNotes()
        rows = []
        for item in self.issues:
            cites = [bibliography.cite_position(item.a), bibliography.cite_position(item.b)]
            rows.append(
                (
                    item.category_label,
                    item.label,
                    stance_text(item.a) + notes.mark(item.a),
                    stance_text(item.b) + notes.mark(item.b),
                    item.relation.value,
                    "" if item.gap is None else f"{item.gap:.2f}",
                    item.explanation,
                    " / ".join(c or "–" for c in cites),
                )
            )
        return Table(
            title=f"{_describe_with(self.a, self.alternative_a)} compared with "
            f"{_describe_with(self.b, self.alternative_b)}",
            headers=(
                "Category",
                "Issue",
                self.result.a.label,
                self.result.b.label,
                "Relation",
                "Gap",
                "Explanation",
                "Sources (A / B)",
            ),
            rows=tuple(rows),
            notes=(
                f"Summary: {self.summary}.",
                self.summary.basis(),
                "Gap: 0 = same stance, 1 = as far apart as the issue allows; weighted by salience "
                "in the overall gap. Unclear: one side addresses the issue without stating a "
                "level, so it is not judged. (inferred): the coder's reading, which no source "
                "states as such.",
                *inferred_note(self.inferred_excluded),
            ),
            stance_notes=notes.notes,
            references=bibliography.references,
            quotes=bibliography.quotes,
            row_classes=tuple(item.relation.value for item in self.issues),
            wrap_widths=(14, 24, 24, 24, 8, 5, 44, 12),
            numeric_columns=frozenset({5}),
        )


def _describe_with(proposal: Proposal, alternative: str | None) -> str:
    text = describe_proposal(proposal)
    if alternative is not None:
        text += f", taking alternative {alternative} ({proposal.alternative(alternative).label})"
    return text


def _stance_data(position: Position | None, side: str) -> dict[str, Any]:
    """One side's stance as typed cells; all missing where the side is silent."""
    if position is None:
        return {f"{name}{side}": None for name in _STANCE_DATA}
    condition = position.condition
    return {
        f"value{side}": value_cell(position.value),
        f"number{side}": figure_of(position.value),
        f"unit{side}": position.unit,
        f"salience{side}": position.salience,
        f"red_line{side}": position.red_line,
        f"condition{side}": None if condition is None else condition.text,
    }


_STANCE_DATA = ("value", "number", "unit", "salience", "red_line", "condition")


def _note(position: Position | None) -> str:
    return "" if position is None or position.note is None else position.note


def _stance_record(position: Position | None) -> dict[str, Any] | None:
    if position is None:
        return None
    condition = position.condition
    return {
        "value": plain_value(position.value),
        "unit": position.unit,
        "bound": position.bound,
        "text": position.text,
        "salience": position.salience,
        "red_line": position.red_line,
        "condition": None if condition is None else condition.model_dump(exclude_none=True),
        "extent": position.extent,
        "area": position.area,
        "alternative": position.alternative,
        "basis": position.basis,
        "red_line_basis": position.red_line_basis,
        "salience_basis": position.salience_basis,
        "evidence": [
            {
                key: value
                for key, value in (
                    ("source", item.source.id),
                    ("locator", item.locator),
                    ("quote", item.quote),
                )
                if value is not None
            }
            for item in position.evidence
        ],
        "note": position.note,
    }


def _source_record(source: Source) -> dict[str, Any]:
    return source.model_dump(mode="json", exclude_none=True)


def _proposal_record(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.id,
        "title": proposal.title,
        "label": proposal.display_label,
        "date": proposal.date.isoformat(),
        "status": proposal.status.value,
        "form": None if proposal.form is None else proposal.form.value,
        "speaker": proposal.speaker,
    }
