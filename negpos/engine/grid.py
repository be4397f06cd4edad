"""The N-way grid: every issue × every proposal, each cell related to a baseline proposal,
with per-issue consensus figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from negpos.engine.diff import check_same_definition, diff_candidates, reading_order
from negpos.engine.rules import Relation, gap_between, judge
from negpos.errors import ComparisonError
from negpos.positions import Position, PositionSet

__all__ = ["Grid", "GridCell", "IssueConsensus", "build_grid"]


@dataclass(frozen=True, slots=True)
class GridCell:
    """One proposal's stance on one issue, and how it relates to the baseline's."""

    proposal_id: str
    position: Position | None
    relation: str
    gap: float | None
    explanation: str
    baseline_position: Position | None = None  # the baseline's stance it is related to


@dataclass(frozen=True, slots=True)
class IssueConsensus:
    """How far the proposals that address an issue agree on it."""

    key: str
    label: str
    category: str
    addressed: int
    largest_agreement: int
    common_stance: str
    divisiveness: float | None

    @property
    def share_agreeing(self) -> float:
        """Share of the proposals addressing the issue that hold its most common stance."""
        return self.largest_agreement / self.addressed if self.addressed else 0.0


@dataclass(frozen=True, slots=True)
class Grid:
    """Issues (rows) × proposals (columns), related to ``baseline``."""

    baseline: str
    proposals: tuple[PositionSet, ...]
    keys: tuple[str, ...]
    labels: tuple[str, ...]
    categories: tuple[str, ...]
    cells: tuple[tuple[GridCell, ...], ...]
    consensus: tuple[IssueConsensus, ...]

    def cell(self, key: str, proposal_id: str) -> GridCell:
        row = self.keys.index(key)
        column = [p.proposal_id for p in self.proposals].index(proposal_id)
        return self.cells[row][column]

    def most_divisive(self, count: int = 10) -> list[IssueConsensus]:
        """Issues addressed by at least two proposals, largest mean pairwise gap first."""
        ranked = [c for c in self.consensus if c.divisiveness is not None]
        return sorted(ranked, key=lambda c: (-(c.divisiveness or 0.0), c.key))[:count]


BASELINE = "baseline"
SILENT = "silent"


def build_grid(position_sets: Sequence[PositionSet], baseline: str | None = None) -> Grid:
    """Relate every proposal's stances to the baseline's (the first proposal by default).

    A cell's relation is the engine's relation with the baseline as side A: ``only_b`` where
    only that proposal addresses the issue, ``only_a`` where only the baseline does;
    ``silent`` where neither does, and ``baseline`` in the baseline's own column.
    """
    if not position_sets:
        raise ComparisonError("a grid needs at least one proposal")
    ids = [p.proposal_id for p in position_sets]
    base_id = baseline or ids[0]
    if base_id not in ids:
        raise ComparisonError(f"baseline {base_id!r} is not among the proposals: {', '.join(ids)}")
    base = position_sets[ids.index(base_id)]
    first: dict[str, Position] = {}
    for positions in position_sets:
        for position in positions.all_positions():
            first.setdefault(position.key, position)
    keys = reading_order(*position_sets)
    rows = []
    for key in keys:
        row = []
        for positions in position_sets:
            candidates = positions.candidates(key)
            if positions.proposal_id == base_id:
                own = candidates[0] if candidates else None
                row.append(GridCell(base_id, own, BASELINE, None, "the baseline"))
            elif not candidates and not base.candidates(key):
                row.append(
                    GridCell(positions.proposal_id, None, SILENT, None, "neither addresses it")
                )
            else:
                item = diff_candidates(key, base, positions)
                row.append(
                    GridCell(
                        positions.proposal_id,
                        item.b,
                        item.relation.value,
                        item.gap,
                        item.explanation,
                        item.a,
                    )
                )
        rows.append(tuple(row))
    return Grid(
        baseline=base_id,
        proposals=tuple(position_sets),
        keys=tuple(keys),
        labels=tuple(first[k].label for k in keys),
        categories=tuple(first[k].category for k in keys),
        cells=tuple(rows),
        consensus=tuple(_consensus(key, first[key], position_sets) for key in keys),
    )


def _consensus(
    key: str, any_position: Position, position_sets: Sequence[PositionSet]
) -> IssueConsensus:
    """Groups of agreeing stances and the mean pairwise gap; a proposal offering alternatives
    on the issue is represented by the first alternative that states it, and pairs without
    a gap (a level not stated) are left out of the mean."""
    stated = [(c[0], p) for p in position_sets if (c := p.candidates(key))]
    first, first_set = stated[0]
    for stance, positions in stated[1:]:
        check_same_definition(key, first, stance, first_set, positions)
    stances = [stance for stance, _ in stated]
    groups: list[list[Position]] = []  # stances the engine judges to agree, grouped
    for stance in stances:
        for group in groups:
            if judge(group[0], stance).relation is Relation.AGREE:
                group.append(stance)
                break
        else:
            groups.append([stance])
    common = max(groups, key=len)  # the first of the largest groups, in date order
    gaps = [
        gap
        for a, b in combinations(stances, 2)
        if (gap := gap_between(a.definition, a.value, b.value, a.unit, b.unit, a.bound, b.bound))
        is not None
    ]
    divisiveness = sum(gaps) / len(gaps) if gaps else None
    return IssueConsensus(
        key=key,
        label=any_position.label,
        category=any_position.category,
        addressed=len(stances),
        largest_agreement=len(common),
        common_stance=common[0].text,
        divisiveness=divisiveness,
    )
