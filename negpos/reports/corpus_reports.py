"""Reports over many proposals: the N-way grid, the pairwise gap matrix, a party's timeline."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from negpos.corpus import Corpus
from negpos.engine.diff import Weighting
from negpos.engine.grid import BASELINE, SILENT, Grid, build_grid
from negpos.engine.matrix import GapMatrix, gap_matrix
from negpos.engine.timeline import Change, Timeline, TimelineStep, timeline
from negpos.model import Source
from negpos.positions import PositionSet
from negpos.reports.escaping import write_csv
from negpos.reports.proposal_view import stance_text
from negpos.reports.report import TableReport
from negpos.reports.table import Bibliography, Table, inferred_note

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "GridReport",
    "MatrixReport",
    "TimelineReport",
    "grid_report",
    "matrix_report",
    "timeline_report",
]


def _proposal_notes(proposals: tuple[PositionSet, ...]) -> tuple[str, ...]:
    return tuple(f"{p.label}: {p.title}, {p.date.isoformat()}, {p.status}." for p in proposals)


def _count(number: int, noun: str) -> str:
    """``1 proposal``, ``2 proposals``: a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _source_records(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    return [s.model_dump(mode="json", exclude_none=True) for s in sources]


def _gap_text(gap: float | None) -> str:
    return "" if gap is None or math.isnan(gap) else f"{gap:.2f}"


def _cell_text(gap: float, shared: int) -> str:
    text = _gap_text(gap)
    return f"{text} ({shared})" if text else ""


# --------------------------------------------------------------------------- grid


def grid_report(
    corpus: Corpus, baseline: str | None = None, *, exclude_inferred: bool = False
) -> GridReport:
    """Every issue × every proposal, each stance related to the baseline's; with
    ``exclude_inferred``, the coder's inferences left out."""
    return GridReport(build_grid(_sets(corpus, exclude_inferred), baseline), exclude_inferred)


def _sets(corpus: Corpus, exclude_inferred: bool) -> list[PositionSet]:
    sets = corpus.position_sets()
    return [s.without_inferred() for s in sets] if exclude_inferred else sets


_GRID_COLUMNS = (
    "issue", "label", "category", "proposal", "proposal_label", "date", "stance", "relation",
    "gap", "explanation", "sources",
)  # fmt: skip
_CONSENSUS_COLUMNS = (
    "issue", "label", "category", "addressed", "largest_agreement", "share_agreeing",
    "common_stance", "divisiveness",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GridReport(TableReport):
    grid: Grid
    inferred_excluded: bool = False

    def to_records(self) -> list[dict[str, Any]]:
        """One row per issue × proposal (silent cells included, with relation ``silent``)."""
        records = []
        for key, label, category, row in zip(
            self.grid.keys, self.grid.labels, self.grid.categories, self.grid.cells, strict=True
        ):
            for positions, cell in zip(self.grid.proposals, row, strict=True):
                records.append(
                    {
                        "issue": key,
                        "label": label,
                        "category": category,
                        "proposal": positions.proposal_id,
                        "proposal_label": positions.label,
                        "date": positions.date.isoformat(),
                        "stance": None if cell.position is None else stance_text(cell.position),
                        "relation": cell.relation,
                        "gap": cell.gap,
                        "explanation": cell.explanation,
                        "sources": []
                        if cell.position is None
                        else [
                            s.model_dump(mode="json", exclude_none=True)
                            for s in cell.position.sources
                        ],
                    }
                )
        return records

    def to_frame(self) -> pd.DataFrame:
        """Tidy: one row per issue × proposal; pivot on ``proposal`` for the wide grid."""
        import pandas as pd

        rows = self.to_records()
        for row in rows:
            row["sources"] = "; ".join(Source.model_validate(s).citation() for s in row["sources"])
        frame = pd.DataFrame(rows, columns=list(_GRID_COLUMNS))  # columns even without rows
        frame["gap"] = frame["gap"].astype("float64")
        frame.attrs["baseline"] = self.grid.baseline
        return frame

    def consensus_frame(self) -> pd.DataFrame:
        """One row per issue: how many address it, agree on its most common stance, and how
        divisive it is (mean pairwise gap); most divisive first."""
        import pandas as pd

        rows = [
            {
                "issue": c.key,
                "label": c.label,
                "category": c.category,
                "addressed": c.addressed,
                "largest_agreement": c.largest_agreement,
                "share_agreeing": c.share_agreeing,
                "common_stance": c.common_stance,
                "divisiveness": c.divisiveness,
            }
            for c in self.grid.consensus
        ]
        frame = pd.DataFrame(rows, columns=list(_CONSENSUS_COLUMNS))
        frame["divisiveness"] = frame["divisiveness"].astype("float64")
        return frame.sort_values(
            ["divisiveness", "issue"], ascending=[False, True], na_position="last", kind="stable"
        ).reset_index(drop=True)

    def table(self) -> Table:
        bibliography = Bibliography()
        base = next(p for p in self.grid.proposals if p.proposal_id == self.grid.baseline)
        rows = []
        for label, consensus, row in zip(
            self.grid.labels, self.grid.consensus, self.grid.cells, strict=True
        ):
            cells = []
            for cell in row:
                if cell.position is None:
                    cells.append("—" if cell.relation == SILENT else f"— ({cell.relation})")
                    continue
                if cell.relation == BASELINE:  # every alternative the baseline offers
                    offered = base.candidates(cell.position.key)
                    cells.append(
                        " | or: ".join(
                            f"{stance_text(p)} {bibliography.cite_position(p)}" for p in offered
                        )
                    )
                    continue
                cite = bibliography.cite_position(cell.position)
                against = cell.baseline_position
                to = f" with {against.alternative}" if against and against.alternative else ""
                cells.append(f"{stance_text(cell.position)} ({cell.relation}{to}) {cite}")
            agreeing = f"{consensus.largest_agreement}/{consensus.addressed}"
            rows.append((label, *cells, agreeing, _gap_text(consensus.divisiveness)))
        count = len(self.grid.proposals)
        return Table(
            title=f"{_count(count, 'proposal')} compared issue by issue, relative to {base.label}",
            headers=("Issue", *(p.label for p in self.grid.proposals), "Agree", "Divisiveness"),
            rows=tuple(rows),
            notes=(
                f"In brackets: each stance's relation to the baseline ({base.label}). "
                "Agree: proposals holding the most common stance / proposals addressing the issue. "
                "Divisiveness: mean gap over all pairs of proposals addressing the issue.",
                *inferred_note(self.inferred_excluded),
                *_proposal_notes(self.grid.proposals),
            ),
            references=bibliography.references,
            quotes=bibliography.quotes,
            wrap_widths=(24, *([18] * count), 6, 8),
            numeric_columns=frozenset({count + 2}),
        )


# --------------------------------------------------------------------------- matrix


def matrix_report(
    corpus: Corpus,
    category: str | None = None,
    *,
    weighting: Weighting = "issue",
    min_shared: int = 0,
    exclude_inferred: bool = False,
) -> MatrixReport:
    """Pairwise overall gaps of all proposals (of one category's issues if given); cells
    resting on fewer than ``min_shared`` issues are left blank; ``exclude_inferred`` leaves
    the coder's inferences out of the gaps and weights."""
    sets = _sets(corpus, exclude_inferred)
    matrix = gap_matrix(sets, category=category, weighting=weighting, min_shared=min_shared)
    return MatrixReport(matrix, tuple(sets), exclude_inferred)


_RECORD_KEYS = ("a", "b", "category", "gap", "shared_issues", "unclear_issues", "weighting")


@dataclass(frozen=True, slots=True)
class MatrixReport(TableReport):
    matrix: GapMatrix
    proposals: tuple[PositionSet, ...]
    inferred_excluded: bool = False

    def to_records(self) -> list[dict[str, Any]]:
        """One row per ordered pair of proposals."""
        m = self.matrix
        return [
            {
                "a": a,
                "b": b,
                "category": m.category,
                "gap": None if math.isnan(m.gaps[i, j]) else float(m.gaps[i, j]),
                "shared_issues": int(m.shared[i, j]),
                "unclear_issues": 0 if m.unclear is None else int(m.unclear[i, j]),
                "weighting": m.weighting,
            }
            for i, a in enumerate(m.ids)
            for j, b in enumerate(m.ids)
        ]

    def to_frame(self) -> pd.DataFrame:
        """The square matrix, indexed and headed by proposal labels."""
        return self.matrix.to_frame()

    def to_csv(self) -> str:
        """The records as CSV: one row per ordered pair, with the gap and the shared and
        unclear issues it rests on, as the tables and JSON give them."""
        records = self.to_records()
        return write_csv(_RECORD_KEYS, ([r[k] for k in _RECORD_KEYS] for r in records))

    def table(self) -> Table:
        m = self.matrix
        scope = "all issues" if m.category is None else f"the {m.category} issues"
        rows = tuple(
            (label, *(_cell_text(float(g), int(n)) for g, n in zip(row, counts, strict=True)))
            for label, row, counts in zip(m.labels, m.gaps, m.shared, strict=True)
        )
        how = (
            "the mean of the categories' salience-weighted gaps, each category counting equally"
            if m.weighting == "category"
            else "the salience-weighted mean gap"
        )
        blank = (
            f"empty where they share fewer than {m.min_shared} issues"
            if m.min_shared > 1
            else "empty where they share none"
        )
        return Table(
            title=f"Pairwise gaps between {_count(len(m.ids), 'proposal')}, over {scope}",
            headers=("", *m.labels),
            rows=rows,
            notes=(
                f"Each cell: {how} over the issues both proposals address with a stated level "
                "(0 = same stances, 1 = as far apart as the issues allow), then in brackets the "
                f"number of shared issues it rests on; {blank}. Issues one side addresses "
                "without a level are not in the gap.",
                *inferred_note(self.inferred_excluded),
                *_proposal_notes(self.proposals),
            ),
            wrap_widths=(24, *([12] * len(m.ids))),
            numeric_columns=frozenset(range(1, len(m.ids) + 1)),
        )


# --------------------------------------------------------------------------- timeline


def timeline_report(
    corpus: Corpus,
    *,
    party: str | None = None,
    lineage: str | None = None,
    reference: str | None = None,
    changes_only: bool = False,
) -> TimelineReport:
    """How a party's stances (or a lineage's) moved, measured against ``reference``."""
    return TimelineReport(
        timeline(corpus, party=party, lineage=lineage, reference=reference), changes_only
    )


_TIMELINE_COLUMNS = (
    "from", "from_date", "to", "to_date", "issue", "label", "category", "before", "after",
    "change", "reference", "gap_to_reference_before", "gap_to_reference_after", "explanation",
    "sources", "sources_before", "sources_after",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TimelineReport(TableReport):
    timeline: Timeline
    changes_only: bool = False

    def _steps(self) -> list[TimelineStep]:
        steps = list(self.timeline.steps)
        if self.changes_only:
            steps = [s for s in steps if s.change is not Change.UNCHANGED]
        return steps

    def to_records(self) -> list[dict[str, Any]]:
        """One row per issue per step between consecutive proposals. ``sources`` is the
        evidence of the step (the stance after it; before it, for a dropped stance);
        ``sources_before`` and ``sources_after`` are each stance's own."""
        return [
            {
                "from": step.before.proposal_id,
                "from_date": step.before.date.isoformat(),
                "to": step.after.proposal_id,
                "to_date": step.after.date.isoformat(),
                "issue": step.key,
                "label": step.label,
                "category": step.category,
                "before": None if step.old is None else step.old.describe(),
                "after": None if step.new is None else step.new.describe(),
                "change": step.change.value,
                "reference": None if step.reference is None else step.reference.proposal_id,
                "gap_to_reference_before": step.gap_before,
                "gap_to_reference_after": step.gap_after,
                "explanation": step.explanation,
                "sources": _source_records(step.sources),
                "sources_before": _source_records(() if step.old is None else step.old.sources),
                "sources_after": _source_records(() if step.new is None else step.new.sources),
            }
            for step in self._steps()
        ]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        rows = self.to_records()
        for row in rows:
            for column in ("sources", "sources_before", "sources_after"):
                row[column] = "; ".join(Source.model_validate(s).citation() for s in row[column])
        frame = pd.DataFrame(rows, columns=list(_TIMELINE_COLUMNS))  # columns even without rows
        for column in ("gap_to_reference_before", "gap_to_reference_after"):
            frame[column] = frame[column].astype("float64")
        return frame

    def gap_frame(self) -> pd.DataFrame:
        """The overall gap of each proposal of the track to the reference at its date."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "proposal": point.proposal.proposal_id,
                    "label": point.proposal.label,
                    "date": point.proposal.date,
                    "reference": point.reference.proposal_id,
                    "gap": point.gap,
                }
                for point in self.timeline.gaps
            ],
            columns=["proposal", "label", "date", "reference", "gap"],
        )

    def table(self) -> Table:
        bibliography = Bibliography()
        rows = []
        for step in self._steps():
            gaps = ""
            if step.gap_before is not None or step.gap_after is not None:
                gaps = f"{_gap_text(step.gap_before) or '–'} → {_gap_text(step.gap_after) or '–'}"
            rows.append(
                (
                    f"{step.before.label} → {step.after.label}",
                    step.label,
                    stance_text(step.old),
                    stance_text(step.new),
                    step.change.value,
                    gaps,
                    # Both stances' evidence, as the report page cites it: "[1] → [2]".
                    f"{bibliography.cite_position(step.old) or '–'} → "
                    f"{bibliography.cite_position(step.new) or '–'}",
                )
            )
        t = self.timeline
        reference = f", measured against {t.reference_party}" if t.reference_party else ""
        gap_notes = tuple(
            f"Overall gap of {p.proposal.label} to {p.reference.label}: {_gap_text(p.gap) or 'n/a'}."
            for p in t.gaps
        )
        return Table(
            title=f"Timeline of {t.subject}{reference}: {_count(len(t.track), 'proposal')}",
            headers=(
                "Step",
                "Issue",
                "Before",
                "After",
                "Change",
                "Gap to reference",
                "Sources (before → after)",
            ),
            rows=tuple(rows),
            notes=(
                "Change: concession = closer to the reference party's stance, hardening = further "
                "from it, on the issue's own scale; shifted = changed without getting closer or further.",
                *gap_notes,
                *_proposal_notes(t.track),
            ),
            references=bibliography.references,
            quotes=bibliography.quotes,
            row_classes=tuple(s.change.value for s in self._steps()),
            wrap_widths=(22, 26, 24, 24, 10, 11, 10),
        )
