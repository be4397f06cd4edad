"""The optimised compare path equals the obvious one: each optimisation of ``diff`` and its
rules is checked here against a reference written the plain way (every candidate pair judged
and ranked by whole tuples, the summary counted key by key), on random proposals that offer
alternatives."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negpos.codebook import IssueDefinition, IssueKind, default_codebook
from negpos.engine import rules
from negpos.engine.diff import (
    DEFAULT_SALIENCE,
    ProposalDiff,
    check_same_definition,
    closest,
    diff,
    reading_order,
)
from negpos.engine.rules import ONLY_A, ONLY_B, RELATIONS, Judgement, Reason, Relation, judge
from negpos.model import Proposal
from negpos.positions import (
    AtLeast,
    EveryoneBut,
    Position,
    PositionSet,
    PositionValue,
    positions_of,
)
from tests.strategies import _alternatives, proposal_data, proposals

FAST_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_RANK = {Relation.AGREE: 0, Relation.PARTIAL: 1, Relation.UNCLEAR: 2, Relation.CONFLICT: 3}

Pair = tuple[Position | None, Position | None]


# ----------------------------------------------------------------------------- references


def reference_order(*position_sets: PositionSet) -> list[str]:
    """Reading order as first written: alternatives' sort keys, then the own stances' over them."""
    order: dict[str, tuple[tuple[int, str, int], str]] = {}
    for positions in reversed(position_sets):
        order.update(positions.alternative_sort_keys())
    for positions in reversed(position_sets):
        order.update(positions.sort_keys)
    return sorted(order, key=order.__getitem__)


def reference_closest(
    key: str,
    candidates_a: tuple[Position, ...],
    candidates_b: tuple[Position, ...],
    a: PositionSet,
    b: PositionSet,
) -> tuple[Position | None, Position | None, Judgement]:
    """Every pair judged, ranked by the whole tuple (relation, gap, sorted (id, alternative))."""
    if not candidates_a:
        return None, candidates_b[0] if candidates_b else None, ONLY_B
    if not candidates_b:
        return candidates_a[0], None, ONLY_A
    ranked = []
    for index, (left, right) in enumerate(
        (left, right) for left in candidates_a for right in candidates_b
    ):
        check_same_definition(key, left, right, a, b)
        judgement = judge(left, right)
        sides = sorted(
            ((a.proposal_id, left.alternative or ""), (b.proposal_id, right.alternative or ""))
        )
        rank = (_RANK[judgement.relation], judgement.gap or 0.0, sides, index)
        ranked.append((rank, left, right, judgement))
    _, left, right, judgement = min(ranked, key=lambda entry: entry[0])
    return left, right, judgement


def reference_diff(
    a: PositionSet, b: PositionSet
) -> tuple[list[str], list[Judgement], dict[str, Pair], dict[str, Any]]:
    """Keys, judgements, chosen pairs and summary figures, each key through ``candidates``."""
    keys = reference_order(a, b)
    judgements: list[Judgement] = []
    chosen: dict[str, Pair] = {}
    pairs: list[Pair] = []
    for key in keys:
        candidates_a, candidates_b = a.candidates(key), b.candidates(key)
        left, right, judgement = reference_closest(key, candidates_a, candidates_b, a, b)
        offered = a.alternatives or b.alternatives
        if offered and (
            len(candidates_a) > 1
            or len(candidates_b) > 1
            or key not in a.positions
            or key not in b.positions
        ):
            chosen[key] = (left, right)
        judgements.append(judgement)
        pairs.append((left, right))
    return keys, judgements, chosen, _reference_summary(pairs, judgements)


def _reference_summary(pairs: list[Pair], judgements: list[Judgement]) -> dict[str, Any]:
    counts = dict.fromkeys(RELATIONS, 0)
    by_category: dict[str, dict[Relation, int]] = {}
    sums: dict[str, list[float]] = {}
    weighted = total = 0.0
    shared = 0
    for (left, right), judgement in zip(pairs, judgements, strict=True):
        counts[judgement.relation] += 1
        some = left or right
        assert some is not None
        by_category.setdefault(some.category, dict.fromkeys(RELATIONS, 0))
        by_category[some.category][judgement.relation] += 1
        if judgement.gap is None or left is None or right is None:
            continue
        weight_a = DEFAULT_SALIENCE if left.salience is None else left.salience
        weight_b = DEFAULT_SALIENCE if right.salience is None else right.salience
        weight = (weight_a + weight_b) / 2
        weighted += weight * judgement.gap
        total += weight
        category = sums.setdefault(some.category, [0.0, 0.0])
        category[0] += weight * judgement.gap
        category[1] += weight
        shared += 1
    return {
        "counts": counts,
        "by_category": by_category,
        "overall_gap": weighted / total if total > 0 else None,
        "shared_issues": shared,
        "category_weights": {c: s[1] for c, s in sums.items()},
    }


def _figures(result: ProposalDiff) -> dict[str, Any]:
    summary = result.summary
    return {
        "counts": summary.counts,
        "by_category": summary.by_category,
        "overall_gap": summary.overall_gap,
        "shared_issues": summary.shared_issues,
        "category_weights": summary.category_weights,
    }


# ----------------------------------------------------------------------------- strategies


@st.composite
def offering(draw: st.DrawFn, proposal_id: str) -> Proposal:
    """A random proposal that always offers alternative packages."""
    data = draw(proposal_data(proposal_id))
    if "alternatives" not in data:
        literal = [d for d in default_codebook().issues if not d.typed]
        data["alternatives"] = _alternatives(
            draw, data["sources"][0]["id"], literal, set(data["issues"])
        )
    return Proposal.model_validate(data)


def _twin(proposal: Proposal, proposal_id: str) -> Proposal:
    """The same stances under another id, compiled apart: every pair ties with itself."""
    return Proposal.model_validate({**proposal.model_dump(), "id": proposal_id})


# ----------------------------------------------------------------------------- the laws


@FAST_SETTINGS
@given(offering("a"), st.one_of(offering("b"), st.none()), st.booleans())
def test_diff_equals_the_reference_with_alternatives(
    a: Proposal, other: Proposal | None, plain_b: bool
) -> None:
    b = other if other is not None else _twin(a, "b")
    left = positions_of(a)
    right = positions_of(b)
    if plain_b:
        right = right.with_alternative(right.alternatives[0].id) if right.alternatives else right
    for one, two in ((left, right), (right, left), (left, left)):
        result = diff(one, two)
        keys, judgements, chosen, figures = reference_diff(one, two)
        assert list(result.keys) == keys
        assert list(result.judgements) == judgements
        assert dict(result.chosen) == chosen
        assert _figures(result) == figures
        rows = result.issues
        assert [(row.a, row.b) for row in rows] == [result.pair(key) for key in keys]


@FAST_SETTINGS
@given(offering("a"), offering("b"), st.randoms(use_true_random=False))
def test_closest_equals_every_pair_ranked_whole(
    a: Proposal, b: Proposal, shuffle: random.Random
) -> None:
    """Candidates on both sides, in any order, with ties (a proposal against its twin)."""
    twin = positions_of(_twin(a, "twin"))
    left, right = positions_of(a), positions_of(b)
    for one, two in ((left, right), (left, twin), (twin, left)):
        for key in reference_order(one, two):
            candidates_a = _every_stance(one, key)
            candidates_b = _every_stance(two, key)
            shuffle.shuffle(candidates_a)
            shuffle.shuffle(candidates_b)
            args = (key, tuple(candidates_a), tuple(candidates_b), one, two)
            assert closest(*args) == reference_closest(*args)


def _every_stance(positions: PositionSet, key: str) -> list[Position]:
    """The own stance and every alternative's on a key: more candidates than diff passes."""
    found = [positions.positions[key]] if key in positions.positions else []
    return found + [a.positions[key] for a in positions.alternatives if key in a.positions]


@FAST_SETTINGS
@given(
    st.lists(
        st.one_of(offering("p"), proposal_data("q").map(Proposal.model_validate)),
        min_size=1,
        max_size=3,
    )
)
def test_reading_order_equals_the_reference(proposals: list[Proposal]) -> None:
    sets = [positions_of(p) for p in proposals]
    assert reading_order(*sets) == reference_order(*sets)
    assert reading_order(*reversed(sets)) == reference_order(*reversed(sets))


@FAST_SETTINGS
@given(offering("a"), offering("b"))
def test_a_selection_counts_its_summary_from_the_chosen_pairs(a: Proposal, b: Proposal) -> None:
    result = diff(positions_of(a), positions_of(b))
    everything = result.select(relations=list(Relation))
    assert everything.summary == result.summary
    assert everything.judgements == result.judgements


# ----------------------------------------------------------------------------- the rules


def reference_sets(definition: IssueDefinition, a: PositionValue, b: PositionValue) -> Judgement:
    """The rule of lists as first written: readings step by step, unions and subsets as sets."""
    left, right = rules.fixed_items(definition, a), rules.fixed_items(definition, b)
    if left is None or right is None:
        left, right = rules._readings(definition, a, b)
    common = left & right
    gap = rules.jaccard_gap(len(common), len(left | right))
    if left == right:
        open_either = isinstance(a, AtLeast) or isinstance(b, AtLeast)
        return rules._COMPATIBLE if open_either else rules._AGREE
    if not common:
        return Judgement(Relation.CONFLICT, gap, Reason.NO_OVERLAP)
    subset = left <= right or right <= left
    return Judgement(Relation.PARTIAL, gap, Reason.SUBSET if subset else Reason.OVERLAP)


_ITEMS = st.frozensets(st.sampled_from(["w", "x", "y", "everyone"]), max_size=4)
_SET_VALUES = st.one_of(
    _ITEMS,
    _ITEMS.map(AtLeast),
    _ITEMS.map(EveryoneBut),
    st.just(frozenset({"everyone"})),
)


@FAST_SETTINGS
@given(st.sampled_from([None, "everyone"]), _SET_VALUES, _SET_VALUES)
def test_the_rule_of_lists_equals_the_step_by_step_one(
    universal: str | None, a: PositionValue, b: PositionValue
) -> None:
    definition = IssueDefinition(
        key="t.items", label="Items", category="t", kind=IssueKind.SET, universal=universal
    )
    assert rules._sets(definition, a, b) == reference_sets(definition, a, b)
    assert rules.set_readings(definition, a, b) == rules._readings(definition, a, b)


@FAST_SETTINGS
@given(proposals("a"), proposals("b"))
def test_zones_meet_exactly_where_a_shared_acceptable_value_is_written(
    a: Proposal, b: Proposal
) -> None:
    left, right = positions_of(a), positions_of(b)
    for key in reading_order(left, right):
        for x in _every_stance(left, key):
            for y in _every_stance(right, key) + _every_stance(left, key):
                written = rules._acceptable_meet(x, y)
                assert rules._zones_meet(x, y) is (written is not None)
