"""Each kind's relation and gap, checked against values worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest

import negpos
from negpos.codebook import Codebook
from negpos.engine import Relation
from negpos.model import Proposal

CODEBOOK = Codebook.model_validate(
    {
        "name": "test codebook",
        "categories": [{"id": "t", "label": "Test"}],
        "issues": [
            {
                "key": "t.colour",
                "label": "Colour",
                "category": "t",
                "kind": "categorical",
                "values": ["red", "green", "blue"],
            },
            {
                "key": "t.level",
                "label": "Level",
                "category": "t",
                "kind": "ordinal",
                "values": ["none", "low", "mid", "high", "full"],
                "poles": [["none"], ["high", "full"]],
            },
            {
                "key": "t.free_scale",
                "label": "Free scale",
                "category": "t",
                "kind": "ordinal",
                "values": ["a", "b", "c"],
            },
            {"key": "t.cap", "label": "Cap", "category": "t", "kind": "number", "unit": "troops"},
            {"key": "t.money", "label": "Money", "category": "t", "kind": "number"},
            {
                "key": "t.share",
                "label": "Share",
                "category": "t",
                "kind": "number",
                "unit": "percent",
                "range": {"min": 0, "max": 100},
            },
            {
                "key": "t.items",
                "label": "Items",
                "category": "t",
                "kind": "set",
                "values": ["w", "x", "y", "z"],
            },
            {
                "key": "t.who",
                "label": "Who",
                "category": "t",
                "kind": "set",
                "values_from": "parties",
                "universal": "everyone",
            },
            {"key": "t.flag", "label": "Flag", "category": "t", "kind": "boolean"},
            {"key": "t.words", "label": "Words", "category": "t", "kind": "text"},
        ],
    }
)


def _proposal(pid: str, issues: dict[str, Any]) -> Proposal:
    data = {
        "id": pid,
        "title": pid,
        "date": "2020-01-01",
        "status": "draft",
        "authors": ["P"],
        "parties": [
            {"id": "P", "name": "Pland", "kind": "state"},
            {"id": "Q", "name": "Qland", "kind": "state"},
        ],
        "sources": [{"id": "S", "publisher": "Pub", "title": "T"}],
        "issues": {
            k: (v if isinstance(v, dict) and "value" in v else {"value": v}) | {"sources": ["S"]}
            for k, v in issues.items()
        },
    }
    return Proposal.model_validate(data, context={"codebook": CODEBOOK})


def _row(key: str, a: Any, b: Any) -> tuple[Relation, float | None, str]:
    item = negpos.compare(_proposal("a", {key: a}), _proposal("b", {key: b})).issue(key)
    return item.relation, item.gap, item.explanation


@pytest.mark.parametrize(
    ("key", "a", "b", "relation", "gap"),
    [
        ("t.colour", "red", "red", Relation.AGREE, 0.0),
        ("t.colour", "red", "blue", Relation.CONFLICT, 1.0),
        ("t.level", "low", "mid", Relation.PARTIAL, 0.25),  # 1 of 4 steps
        ("t.level", "none", "low", Relation.PARTIAL, 0.25),  # low is in no pole
        ("t.level", "none", "high", Relation.CONFLICT, 0.75),  # opposite poles
        ("t.level", "none", "full", Relation.CONFLICT, 1.0),
        ("t.free_scale", "a", "c", Relation.PARTIAL, 1.0),  # no poles: only degree
        ("t.cap", 600_000, 800_000, Relation.PARTIAL, 0.25),  # |diff| / larger
        ("t.cap", 5, 5, Relation.AGREE, 0.0),
        ("t.share", 40, 50, Relation.PARTIAL, 0.1),  # |diff| / range
        ("t.items", ["w", "x"], ["x", "y"], Relation.PARTIAL, 1 - 1 / 3),
        ("t.items", ["w"], ["w", "x"], Relation.PARTIAL, 0.5),
        ("t.items", ["w"], ["z"], Relation.CONFLICT, 1.0),
        ("t.items", ["x", "w"], ["w", "x"], Relation.AGREE, 0.0),
        ("t.who", ["everyone"], ["P"], Relation.PARTIAL, 0.5),  # {P, rest} vs {P}
        ("t.who", ["everyone", "P"], ["everyone"], Relation.AGREE, 0.0),
        ("t.who", ["P", "Q"], ["everyone"], Relation.PARTIAL, 1 / 3),
        ("t.flag", True, True, Relation.AGREE, 0.0),
        ("t.flag", True, False, Relation.CONFLICT, 1.0),
        ("t.words", "Joint  Council", "joint council", Relation.AGREE, 0.0),
        ("t.words", "joint council", "joint commission", Relation.PARTIAL, 1 - 1 / 3),
    ],
)
def test_relation_and_gap_by_kind(key: str, a: Any, b: Any, relation: Relation, gap: float) -> None:
    got_relation, got_gap, _ = _row(key, a, b)
    assert got_relation is relation
    assert got_gap == pytest.approx(gap)


def test_units_that_differ_are_not_comparable() -> None:
    relation, gap, explanation = _row(
        "t.money", {"value": {"amount": 5, "unit": "USD"}}, {"value": {"amount": 5, "unit": "EUR"}}
    )
    assert (relation, gap) == (Relation.CONFLICT, 1.0)
    assert "units differ (USD vs EUR)" in explanation


def test_a_bare_figure_takes_the_issues_unit() -> None:
    relation, gap, _ = _row("t.cap", {"value": {"amount": 5, "unit": "troops"}}, 5)
    assert (relation, gap) == (Relation.AGREE, 0.0)


def test_acceptable_ranges_that_meet_make_a_conflict_partial() -> None:
    relation, _, explanation = _row("t.colour", {"value": "red", "acceptable": ["blue"]}, "blue")
    assert relation is Relation.PARTIAL
    assert "Both would accept blue" in explanation


def test_acceptable_ranges_apart_make_a_difference_a_conflict() -> None:
    relation, gap, explanation = _row(
        "t.cap",
        {"value": 100, "acceptable": {"min": 90, "max": 120}},
        {"value": 200, "acceptable": {"min": 150, "max": 250}},
    )
    assert relation is Relation.CONFLICT
    assert gap == pytest.approx(0.5)  # the gap stays the distance between stated figures
    assert "does not overlap" in explanation


def test_number_ranges_meet_on_their_overlap() -> None:
    relation, _, explanation = _row(
        "t.cap",
        {"value": 100, "acceptable": {"min": 90, "max": 160}},
        {"value": 200, "acceptable": {"min": 150, "max": 250}},
    )
    assert relation is Relation.PARTIAL
    assert "150–160 troops" in explanation


def test_only_one_side_has_no_gap_and_says_who() -> None:
    a = _proposal("a", {"t.flag": True})
    b = _proposal("b", {"t.colour": "red"})
    comparison = negpos.compare(a, b)
    assert comparison.relations() == {"t.colour": Relation.ONLY_B, "t.flag": Relation.ONLY_A}
    assert comparison.issue("t.flag").gap is None
    assert comparison.issue("t.flag").explanation == "Only a addresses this: yes."


def test_overall_gap_is_weighted_by_salience() -> None:
    a = _proposal("a", {"t.flag": {"value": True, "salience": 1.0}, "t.colour": "red"})
    b = _proposal("b", {"t.flag": {"value": False, "salience": 1.0}, "t.colour": "red"})
    summary = negpos.compare(a, b).summary
    # flag: gap 1, weight 1; colour: gap 0, weight 0.5 (unstated) -> 1 / 1.5
    assert summary.overall_gap == pytest.approx(1 / 1.5)
    assert summary.counts[Relation.CONFLICT] == 1 and summary.counts[Relation.AGREE] == 1
    assert summary.by_category == {
        "t": {
            Relation.AGREE: 1,
            Relation.PARTIAL: 0,
            Relation.CONFLICT: 1,
            Relation.UNCLEAR: 0,
            Relation.ONLY_A: 0,
            Relation.ONLY_B: 0,
        }
    }


def test_no_shared_issue_means_no_overall_gap() -> None:
    summary = negpos.compare(
        _proposal("a", {"t.flag": True}), _proposal("b", {"t.colour": "red"})
    ).summary
    assert summary.overall_gap is None and summary.shared_issues == 0


def test_units_that_differ_conflict_even_with_acceptable_ranges() -> None:
    relation, gap, explanation = _row(
        "t.money",
        {"value": {"amount": 5, "unit": "USD"}, "acceptable": {"min": 0, "max": 10}},
        {"value": {"amount": 5, "unit": "EUR"}, "acceptable": {"min": 0, "max": 10}},
    )
    assert (relation, gap) == (Relation.CONFLICT, 1.0)
    assert "Both would accept" not in explanation


def test_texts_agree_when_they_use_the_same_words() -> None:
    relation, gap, _ = _row("t.words", "Joint council.", "joint council")
    assert (relation, gap) == (Relation.AGREE, 0.0)


def test_scales_without_poles_only_differ_in_degree() -> None:
    _, _, explanation = _row("t.free_scale", "a", "b")
    assert explanation.startswith("Differ in degree (1 of 2 steps)")
    _, _, explanation = _row("t.level", "high", "full")
    assert explanation.startswith("Same side, differ in degree")
