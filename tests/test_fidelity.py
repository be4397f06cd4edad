"""What real texts say, judged on what both sides state: one minimal pair of proposals per rule.

The codebook here is a small labour-and-land negotiation, not the Ukrainian one: the rules
are the engine's, not a domain's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import negpos
from negpos.cli import main
from negpos.codebook import Codebook
from negpos.engine import Relation
from negpos.engine.matrix import gap_matrix
from negpos.engine.rules import Reason
from negpos.errors import ProposalFileError
from negpos.model import Proposal
from negpos.positions import positions_of

CODEBOOK = Codebook.model_validate(
    {
        "name": "fidelity test codebook",
        "categories": [{"id": "t", "label": "Terms"}, {"id": "land", "label": "Land"}],
        "condition_kinds": ["referendum", "ratification", "sequence", "other"],
        "party_kinds": ["company", "union", "state", "other"],
        "issues": [
            {
                "key": "land.{region}.control",
                "label": "{region}: control",
                "category": "land",
                "kind": "categorical",
                "values_from": "parties",
            },
            {
                "key": "land.{region}.withdrawing",
                "label": "{region}: who withdraws",
                "category": "land",
                "kind": "set",
                "values_from": "parties",
            },
            {"key": "t.zone", "label": "Buffer zone", "category": "t", "kind": "boolean"},
            {
                "key": "t.membership",
                "label": "Membership",
                "category": "t",
                "kind": "ordinal",
                "values": ["barred", "deferred", "conditional", "permitted"],
                "poles": [["barred"], ["conditional", "permitted"]],
            },
            {
                "key": "t.guarantors",
                "label": "Guarantors",
                "category": "t",
                "kind": "set",
                "values_from": "parties",
            },
            {
                "key": "t.troops_of",
                "label": "Whose troops are barred",
                "category": "t",
                "kind": "set",
                "values_from": "parties",
                "universal": "all",
                "value_labels": {"all": "all foreign states"},
            },
            {
                "key": "t.wage",
                "label": "Wage increase",
                "category": "t",
                "kind": "number",
                "unit": "percent",
            },
            {
                "key": "t.cap",
                "label": "Force cap",
                "category": "t",
                "kind": "number",
                "unit": "personnel",
                "bound": "max",
            },
            {
                "key": "t.pullback",
                "label": "Pull-back",
                "category": "t",
                "kind": "ordinal",
                "values": ["none", "freeze", "partial", "border"],
                "positions": [0, 0, 1, 2],
                "poles": [["none", "freeze"], ["border"]],
            },
            {
                "key": "t.sequence",
                "label": "Sequence",
                "category": "t",
                "kind": "categorical",
                "values": ["first", "after_withdrawal", "after_measures"],
            },
            {"key": "t.measure", "label": "A measure", "category": "t", "kind": "boolean"},
        ],
    }
)


# The smallest proposal on the default codebook: one party, one region, one source.
BAY: dict[str, Any] = {
    "id": "x",
    "title": "x",
    "date": "2024-01-01",
    "status": "draft",
    "authors": ["N"],
    "parties": [{"id": "N", "name": "N", "kind": "state"}],
    "regions": [{"id": "bay", "name": "The Bay"}],
    "sources": [{"id": "S", "publisher": "P", "title": "T"}],
}


def _proposal(pid: str, issues: dict[str, Any], **extra: Any) -> Proposal:
    data: dict[str, Any] = {
        "id": pid,
        "title": pid,
        "label": pid.upper(),
        "date": "2024-01-01",
        "status": "draft",
        "authors": ["RU"],
        "parties": [
            {"id": "RU", "name": "Russia", "kind": "state"},
            {"id": "UA", "name": "Ukraine", "kind": "state"},
            {"id": "US", "name": "United States", "kind": "state"},
            {"id": "GB", "name": "United Kingdom", "kind": "state"},
            {"id": "FR", "name": "France", "kind": "state"},
            {"id": "FORD", "name": "Ford", "kind": "company"},
        ],
        "regions": [{"id": "east", "name": "East Oblast"}],
        "sources": [{"id": "S", "publisher": "Pub", "title": "T"}],
        "issues": {
            k: (v if isinstance(v, dict) and "value" in v else {"value": v}) | {"sources": ["S"]}
            for k, v in issues.items()
        },
        **extra,
    }
    return Proposal.model_validate(data, context={"codebook": CODEBOOK})


def _row(key: str, a: Any, b: Any) -> negpos.IssueDiff:
    return negpos.compare(_proposal("a", {key: a}), _proposal("b", {key: b})).issue(key)


def _both_ways(key: str, a: Any, b: Any) -> negpos.IssueDiff:
    """The row, after checking that swapping the sides mirrors it."""
    forward, backward = (
        _row(key, a, b),
        negpos.compare(_proposal("b", {key: b}), _proposal("a", {key: a})).issue(key),
    )
    assert backward.relation is forward.relation.mirrored() and backward.gap == forward.gap
    return forward


# ----------------------------------------------------------------------------- conditions


def test_a_condition_on_one_side_only_is_partial_and_named() -> None:
    conditional = {
        "value": True,
        "condition": {"text": "approved by a referendum", "kind": "referendum"},
    }
    row = _both_ways("t.zone", conditional, True)
    assert (row.relation, row.reason, row.gap) == (Relation.PARTIAL, Reason.CONDITIONAL, 0.0)
    assert "A: condition: approved by a referendum (referendum)" in row.explanation
    assert "B: no condition stated" in row.explanation  # silence on a condition is not "none"


def test_the_same_condition_on_both_sides_agrees_and_different_ones_do_not() -> None:
    same = {"value": True, "condition": {"text": "Approved by a referendum.", "kind": "referendum"}}
    other = {"value": True, "condition": {"text": "approved by a referendum", "kind": "referendum"}}
    assert _row("t.zone", same, other).relation is Relation.AGREE  # same words, kind and issue
    ratified = {"value": True, "condition": {"text": "once ratified", "kind": "ratification"}}
    assert _row("t.zone", same, ratified).relation is Relation.PARTIAL


def test_a_condition_never_changes_a_conflict_but_is_shown() -> None:
    conditional = {"value": True, "condition": "the talks succeed"}
    row = _row("t.zone", conditional, False)
    assert row.relation is Relation.CONFLICT
    assert "Conditions: A: condition: the talks succeed; B: no condition stated." in row.explanation


def test_a_bare_condition_is_always_allowed_as_kind_other() -> None:
    strict = CODEBOOK.model_copy(update={"condition_kinds": ("referendum",)})
    assert "other" in strict.allowed_condition_kinds


def test_conditions_are_checked_against_the_codebook() -> None:
    bad = {"value": True, "condition": {"text": "x", "kind": "prayer", "on": "t.nothing"}}
    with pytest.raises(ValueError, match="condition") as raised:
        _proposal("a", {"t.zone": bad})
    text = str(raised.value)
    assert "unknown condition kind 'prayer'" in text and "'t.nothing' is not an issue key" in text


# ----------------------------------------------------------------------------- unstated levels


def test_an_unstated_level_against_a_stated_one_is_unclear_without_a_gap() -> None:
    row = _both_ways("t.membership", "unspecified", "barred")
    assert (row.relation, row.gap, row.reason) == (Relation.UNCLEAR, None, Reason.UNSTATED)
    assert "level not stated" in row.explanation


def test_unclear_rows_are_counted_but_stay_out_of_the_overall_gap() -> None:
    a = _proposal("a", {"t.membership": "unspecified", "t.zone": True})
    b = _proposal("b", {"t.membership": "barred", "t.zone": False})
    summary = negpos.compare(a, b).summary
    assert summary.counts[Relation.UNCLEAR] == 1 and summary.shared_issues == 1
    assert summary.overall_gap == 1.0
    matrix = gap_matrix([positions_of(a), positions_of(b)])
    assert matrix.shared_issues("a", "b") == 1 and matrix.unclear_issues("a", "b") == 1


@pytest.mark.parametrize(
    ("key", "value"), [("t.cap", "unspecified"), ("t.guarantors", "unspecified")]
)
def test_unspecified_fits_every_kind_and_agrees_with_itself_without_a_gap(
    key: str, value: str
) -> None:
    row = _row(key, value, value)
    assert (row.relation, row.gap, row.reason) == (Relation.AGREE, None, Reason.UNSTATED)


def test_two_unstated_levels_stay_out_of_the_overall_gap() -> None:
    a = _proposal("a", {"t.membership": "unspecified", "t.zone": True})
    b = _proposal("b", {"t.membership": "unspecified", "t.zone": False})
    summary = negpos.compare(a, b).summary
    assert summary.counts[Relation.AGREE] == 1 and summary.shared_issues == 1
    assert summary.overall_gap == 1.0  # the unknown levels do not pull it down
    matrix = gap_matrix([positions_of(a), positions_of(b)])
    assert matrix.gap("a", "b") == 1.0 and matrix.unclear_issues("a", "b") == 0


# ----------------------------------------------------------------------------- exclusions


def test_no_ban_conflicts_with_a_ban_and_admits_permission() -> None:
    against_ban = _both_ways("t.membership", {"not": "barred"}, "barred")
    assert (against_ban.relation, against_ban.reason) == (Relation.CONFLICT, Reason.EXCLUDED)
    assert against_ban.gap == pytest.approx(1 / 3)  # the nearest level left open: deferred
    assert "A excludes what the other states" in against_ban.explanation
    allowed = _both_ways("t.membership", {"not": "barred"}, "permitted")
    assert (allowed.relation, allowed.reason, allowed.gap) == (
        Relation.PARTIAL,
        Reason.COMPATIBLE,
        0.0,
    )
    assert allowed.a is not None and allowed.a.text == "anything but barred"


def test_exclusions_that_leave_nothing_in_common_conflict() -> None:
    row = _row(
        "t.membership", {"not": ["conditional", "permitted"]}, {"not": ["barred", "deferred"]}
    )
    assert row.relation is Relation.CONFLICT and row.gap == pytest.approx(1 / 3)


# ----------------------------------------------------------------------------- open and relative sets


def test_an_open_list_never_conflicts_because_the_other_names_more() -> None:
    row = _both_ways("t.guarantors", {"including": ["US"]}, ["US", "GB", "FR"])
    assert (row.relation, row.reason, row.gap) == (Relation.PARTIAL, Reason.COMPATIBLE, 0.0)
    assert row.a is not None and row.a.text == "including United States"


def test_an_open_list_against_a_closed_list_without_its_items_is_read_at_its_closest() -> None:
    row = _both_ways("t.guarantors", {"including": ["US"]}, ["GB"])
    assert (row.relation, row.gap) == (Relation.PARTIAL, 0.5)  # {US, GB} vs {GB}
    assert _row("t.guarantors", {"including": ["US"]}, []).relation is Relation.CONFLICT


def test_everyone_except_the_author_reads_naturally_and_excludes_it() -> None:
    row = _both_ways("t.troops_of", {"all_except": ["RU"]}, ["RU"])
    assert (row.relation, row.gap) == (Relation.CONFLICT, 1.0)
    assert row.a is not None and row.a.text == "all foreign states except Russia"
    assert "includes all of" not in row.explanation
    wider = _both_ways("t.troops_of", {"all_except": ["RU"]}, ["US"])
    assert (wider.relation, wider.gap) == (Relation.PARTIAL, 0.5)


def test_an_open_list_naming_everyone_is_everyone() -> None:
    assert _row("t.troops_of", {"including": ["all", "US"]}, ["all"]).relation is Relation.AGREE


# ----------------------------------------------------------------------------- parts of a region


def test_the_same_controller_of_different_parts_is_partial() -> None:
    a = _proposal("a", {"land.east.control": {"value": "RU", "extent": "held"}})
    b = _proposal("b", {"land.east.control": "RU"})
    row = negpos.compare(a, b).issue("land.east.control")
    assert (row.relation, row.reason, row.gap) == (Relation.PARTIAL, Reason.EXTENT, 0.0)
    assert "the part held at present (A)" in row.explanation
    assert "the whole region (B)" in row.explanation


def test_named_areas_compare_by_their_words() -> None:
    area = {"value": "RU", "area": "certain areas of the east"}
    same = {"value": "RU", "extent": "area", "area": "Certain areas of the East"}
    assert _row("land.east.control", area, same).relation is Relation.AGREE
    assert _row("land.east.control", area, {"value": "RU", "area": "the coast"}).relation is (
        Relation.PARTIAL
    )


def test_an_extent_belongs_to_stances_about_a_region() -> None:
    with pytest.raises(ValueError, match="only stances about a region have an extent"):
        _proposal("a", {"t.zone": {"value": True, "extent": "held"}})


def test_an_extent_on_a_section_not_about_a_region_is_refused() -> None:
    data = {
        **BAY,
        "security": [{"party": "N", "sources": ["S"], "extent": "held", "neutral": True}],
    }
    with pytest.raises(ValueError, match="only a region's section"):
        Proposal.model_validate(data)


def test_a_stance_saying_whole_never_takes_its_sections_area() -> None:
    data = {
        **BAY,
        "territory": [
            {
                "region": "bay",
                "sources": ["S"],
                "area": "the northern bay",
                "control": {"value": "N", "extent": "whole"},
                "demilitarised": True,
            }
        ],
    }
    control, zone = Proposal.model_validate(data).keyed_stances()
    assert (control.extent, control.area) == ("whole", None)
    assert (zone.extent, zone.area) == ("area", "the northern bay")


# ----------------------------------------------------------------------------- mutual obligations


def test_a_mutual_withdrawal_is_not_one_sides() -> None:
    row = _both_ways("land.east.withdrawing", ["UA", "RU"], "UA")
    assert (row.relation, row.gap) == (Relation.PARTIAL, 0.5)
    assert _row("land.east.withdrawing", "RU", "UA").relation is Relation.CONFLICT


# ----------------------------------------------------------------------------- numbers


def test_a_level_above_a_ceiling_is_excluded_and_worded_so() -> None:
    row = _both_ways("t.cap", 600_000, {"value": 800_000, "bound": "exact"})
    assert (row.relation, row.reason) == (Relation.CONFLICT, Reason.BOUND_EXCLUDES)
    assert row.gap == pytest.approx(0.25)
    assert "A: ceiling 600,000 personnel; B: level 800,000 personnel" in row.explanation


def test_a_level_under_a_ceiling_is_compatible() -> None:
    row = _row("t.cap", 600_000, {"value": 500_000, "bound": "exact"})
    assert (row.relation, row.reason, row.gap) == (Relation.PARTIAL, Reason.COMPATIBLE, 0.0)


def test_two_ceilings_differ_in_degree() -> None:
    row = _row("t.cap", 600_000, 800_000)
    assert (row.relation, row.reason) == (Relation.PARTIAL, Reason.FIGURES_DIFFER)


def test_percentages_are_worded_in_points_and_measured_over_a_hundred() -> None:
    row = _both_ways("t.wage", 40, 9)
    assert row.gap == pytest.approx(0.31)
    assert "31 percentage points apart" in row.explanation


# ----------------------------------------------------------------------------- one-sided fallbacks


def test_a_one_sided_range_leaves_a_difference_of_degree_partial_and_is_reported() -> None:
    ford = {"value": 9, "acceptable": {"max": 15}}
    row = _both_ways("t.wage", ford, 25)
    assert row.relation is Relation.PARTIAL and row.reason is Reason.FIGURES_DIFFER
    assert (
        "A would accept at most 15 percent (the other side states no fallback)" in row.explanation
    )


def test_ranges_stated_by_both_that_do_not_meet_conflict() -> None:
    row = _row(
        "t.wage", {"value": 9, "acceptable": {"max": 15}}, {"value": 25, "acceptable": {"min": 20}}
    )
    assert row.relation is Relation.CONFLICT
    assert "What each side would accept does not overlap." in row.explanation


def test_a_one_sided_fallback_that_takes_in_the_other_stance_meets_it() -> None:
    row = _row("t.wage", {"value": 9, "acceptable": {"max": 30}}, 25)
    assert row.relation is Relation.PARTIAL and "Both would accept 25 percent." in row.explanation
    barred = {"value": "barred", "acceptable": ["deferred"]}
    assert _row("t.membership", barred, "deferred").relation is Relation.PARTIAL
    assert _row("t.membership", barred, "permitted").relation is Relation.CONFLICT  # as the values
    # an exclusion admits every level it leaves open: "no ban" takes in a deferral
    open_row = _row("t.membership", barred, {"not": "barred"})
    assert (
        open_row.relation is Relation.PARTIAL
        and "Both would accept deferred" in open_row.explanation
    )


# ----------------------------------------------------------------------------- scale positions


@pytest.mark.parametrize(
    ("a", "b", "gap", "relation"),
    [
        ("none", "border", 1.0, Relation.CONFLICT),
        ("freeze", "border", 1.0, Relation.CONFLICT),
        ("partial", "border", 0.5, Relation.PARTIAL),
        ("none", "freeze", 0.0, Relation.PARTIAL),
    ],
)
def test_scale_positions_set_the_distances(a: str, b: str, gap: float, relation: Relation) -> None:
    row = _both_ways("t.pullback", a, b)
    assert (row.gap, row.relation) == (gap, relation)


def test_positions_must_run_along_the_scale() -> None:
    with pytest.raises(ValueError, match="positions must not decrease"):
        Codebook.model_validate(
            {
                "name": "bad",
                "categories": [{"id": "t", "label": "T"}],
                "issues": [
                    {
                        "key": "t.x",
                        "label": "X",
                        "category": "t",
                        "kind": "ordinal",
                        "values": ["a", "b", "c"],
                        "positions": [0, 2, 1],
                    }
                ],
            }
        )


# ----------------------------------------------------------------------------- alternatives


def _with_alternatives() -> Proposal:
    return _proposal(
        "a",
        {"t.zone": True},
        alternatives=[
            {
                "id": "option-1",
                "label": "the withdrawal begins",
                "sources": ["S"],
                "issues": {"t.sequence": "after_withdrawal"},
            },
            {
                "id": "option-2",
                "label": "four measures",
                "sources": ["S"],
                "issues": {"t.sequence": "after_measures", "t.measure": True},
            },
        ],
    )


def test_each_issue_takes_the_closest_alternative_and_names_it() -> None:
    a = _with_alternatives()
    b = _proposal("b", {"t.sequence": "after_measures", "t.measure": False, "t.zone": True})
    comparison = negpos.compare(a, b)
    row = comparison.issue("t.sequence")
    assert row.relation is Relation.AGREE and row.a is not None and row.a.alternative == "option-2"
    assert "A offers alternatives; closest: option-2 (four measures)." in row.explanation
    assert comparison.issue("t.measure").relation is Relation.CONFLICT
    packages = comparison.alternatives
    assert [c.alternative_a for c in packages] == ["option-1", "option-2"]
    assert packages[0].issue("t.sequence").relation is Relation.CONFLICT
    assert packages[0].relations().get("t.measure") is Relation.ONLY_B
    assert "taking alternative option-1 (the withdrawal begins)" in packages[0].to_markdown()


def test_the_matrix_takes_alternatives_as_compare_does() -> None:
    a = _with_alternatives()
    b = _proposal("b", {"t.sequence": "after_withdrawal", "t.measure": False, "t.zone": True})
    matrix = gap_matrix([positions_of(a), positions_of(b)])
    assert matrix.gap("a", "b") == negpos.compare(a, b).summary.overall_gap
    assert matrix.gap("b", "a") == negpos.compare(b, a).summary.overall_gap


def test_alternatives_take_codebook_issues_not_typed_ones() -> None:
    with pytest.raises(ValueError, match="not an issue of"):
        negpos.Proposal.model_validate(
            {
                **BAY,
                "alternatives": [
                    {
                        "id": "a",
                        "label": "a",
                        "sources": ["S"],
                        "issues": {"territory.bay.control": "N"},
                    },
                    {
                        "id": "b",
                        "label": "b",
                        "sources": ["S"],
                        "issues": {"sanctions.snapback": True},
                    },
                ],
            }
        )


def test_an_issue_is_either_in_the_terms_or_in_the_alternatives() -> None:
    with pytest.raises(ValueError, match="also stated outside the alternatives"):
        _proposal(
            "a",
            {"t.sequence": "first"},
            alternatives=[
                {"id": "x", "label": "x", "sources": ["S"], "issues": {"t.sequence": "first"}},
                {"id": "y", "label": "y", "sources": ["S"], "issues": {"t.zone": True}},
            ],
        )


# ----------------------------------------------------------------------------- form, speaker, kinds


def test_form_speaker_and_party_kinds_come_from_the_codebook() -> None:
    proposal = _proposal("a", {"t.zone": True}, form="report", speaker="a union official")
    assert proposal.form == "report" and proposal.party("FORD") is not None
    with pytest.raises(ValueError, match="unknown party kind 'guild'"):
        _proposal("b", {}, parties=[{"id": "RU", "name": "R", "kind": "guild"}], regions=[])


def test_new_forms_dump_and_load_back_equal(tmp_path: Path) -> None:
    proposal = _proposal(
        "a",
        {
            "t.membership": {"not": ["barred"]},
            "t.guarantors": {"including": ["US"]},
            "t.troops_of": {"all_except": ["RU"]},
            "t.cap": {"value": "unspecified"},
            "t.zone": {"value": True, "condition": {"text": "x", "kind": "referendum"}},
        },
    )
    text = negpos.dumps(proposal)
    assert "not:" in text and "including:" in text and "all_except:" in text
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    assert negpos.load(path, codebook=CODEBOOK) == proposal


def test_forms_that_do_not_suit_the_issue_are_refused() -> None:
    with pytest.raises(ValueError, match="suits") as raised:
        _proposal(
            "a",
            {
                "t.guarantors": {"not": ["US"]},
                "t.membership": {"including": ["barred"]},
                "t.zone": {"value": True, "bound": "max"},
            },
        )
    text = str(raised.value)
    assert "{not: ...} suits categorical and ordinal issues only" in text
    assert "{including: ...} suits set issues only" in text
    assert "only figures have a bound" in text


def test_guarantors_without_everyone_refuse_all_except() -> None:
    with pytest.raises(ValueError, match="needs an issue with an 'everyone' item"):
        _proposal("a", {"t.guarantors": {"all_except": ["RU"]}})


# ----------------------------------------------------------------------------- the overall gap's basis


def test_the_summary_says_what_the_overall_gap_rests_on() -> None:
    a = _proposal(
        "a", {"t.zone": {"value": True, "salience": 1.0}, "t.wage": 10, "land.east.control": "RU"}
    )
    b = _proposal("b", {"t.zone": False, "t.wage": 10, "land.east.control": "UA"})
    summary = negpos.compare(a, b).summary
    assert (summary.salience.both, summary.salience.only_a, summary.salience.neither) == (0, 1, 2)
    assert summary.category_weights == {"t": 0.75 + 0.5, "land": 0.5}
    assert "Weight of each category in the overall gap: t 71%, land 29%" in summary.basis()
    # each category counting equally: t = (0.75·1 + 0.5·0) / 1.25 = 0.6, land = 1
    assert summary.category_weighted_gap == pytest.approx((0.6 + 1.0) / 2)


def test_matrix_command_gives_shared_counts_and_blanks_thin_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    examples = Path(__file__).resolve().parent.parent / "examples" / "ukraine"
    assert main(["matrix", str(examples), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert all(isinstance(r["shared_issues"], int) for r in records)
    assert all("unclear_issues" in r for r in records)
    assert main(["matrix", str(examples), "--format", "json", "--min-shared", "1000"]) == 0
    assert all(r["gap"] is None for r in json.loads(capsys.readouterr().out))
    assert main(["matrix", str(examples), "--format", "json", "--weighting", "category"]) == 0
    by_category = json.loads(capsys.readouterr().out)
    pair = next(r for r in by_category if r["a"] != r["b"] and r["gap"] is not None)
    a = negpos.load(next(examples.glob(f"{pair['a']}.yaml")))
    b = negpos.load(next(examples.glob(f"{pair['b']}.yaml")))
    assert pair["gap"] == negpos.compare(a, b).summary.category_weighted_gap


def test_a_bad_condition_kind_is_one_line_in_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "ukraine"
    text = (examples / "us-2025-04-17.yaml").read_text(encoding="utf-8")
    text = text.replace("status: reported", "status: reported\nform: rumour", 1)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "form" in err and "Traceback" not in err
    with pytest.raises(ProposalFileError):
        negpos.load(path)


def test_conditions_and_areas_keep_their_word_order() -> None:
    first = {"value": True, "condition": {"text": "N withdraws before S", "kind": "sequence"}}
    second = {"value": True, "condition": {"text": "S withdraws before N", "kind": "sequence"}}
    assert _row("t.zone", first, second).relation is Relation.PARTIAL
    north = {"value": "RU", "area": "north of the river, south of the road"}
    south = {"value": "RU", "area": "south of the river, north of the road"}
    assert _row("land.east.control", north, south).relation is Relation.PARTIAL


def test_an_agreement_names_the_condition_and_part_both_state() -> None:
    both = {"value": "RU", "extent": "held", "condition": {"text": "after a vote", "kind": "other"}}
    row = _row("land.east.control", both, both)
    assert row.relation is Relation.AGREE
    assert row.explanation == (
        "Both: Russia. Both for the part held at present. Both on the condition: after a vote."
    )


def test_a_differing_condition_is_named_when_the_parts_differ_too() -> None:
    a = {
        "value": "RU",
        "extent": "held",
        "condition": {"text": "a referendum", "kind": "referendum"},
    }
    row = _row("land.east.control", a, "RU")
    assert row.reason is Reason.EXTENT
    assert "Conditions: A: condition: a referendum (referendum); B: no condition stated." in (
        row.explanation
    )


def test_fallbacks_never_make_compatible_stances_conflict() -> None:
    open_list = {"value": {"including": ["US"]}, "acceptable": [["GB"]]}
    closed = {"value": ["US", "FR"], "acceptable": [["FR"]]}
    row = _both_ways("t.guarantors", open_list, closed)
    assert (row.relation, row.reason, row.gap) == (Relation.PARTIAL, Reason.COMPATIBLE, 0.0)
    ceiling = {"value": 600_000, "acceptable": {"min": 590_000, "max": 610_000}}
    level = {"value": 500_000, "bound": "exact", "acceptable": {"min": 400_000, "max": 520_000}}
    assert _both_ways("t.cap", ceiling, level).relation is Relation.PARTIAL
    tied = _both_ways(
        "t.pullback",
        {"value": "none", "acceptable": ["partial"]},
        {"value": "freeze", "acceptable": ["border"]},
    )
    assert (tied.relation, tied.gap) == (Relation.PARTIAL, 0.0)


def test_overlapping_exceptions_name_everyone_else() -> None:
    row = _both_ways("t.troops_of", {"all_except": ["RU"]}, {"all_except": ["UA"]})
    assert "Overlap on everyone neither names" in row.explanation


def test_swapping_sides_picks_the_same_alternatives_on_a_tie() -> None:
    def package(pid: str, value: float, salience: float) -> dict[str, Any]:
        wage = {"value": value, "salience": salience}
        return {"id": pid, "label": pid, "sources": ["S"], "issues": {"t.wage": wage}}

    a = _proposal(
        "a", {"t.zone": True}, alternatives=[package("x", 10, 1.0), package("y", 20, 0.0)]
    )
    b = _proposal(
        "b", {"t.zone": True}, alternatives=[package("x", 15, 0.0), package("y", 15, 1.0)]
    )
    forward, backward = negpos.compare(a, b), negpos.compare(b, a)
    assert forward.summary.overall_gap == backward.summary.overall_gap
    row, back = forward.issue("t.wage"), backward.issue("t.wage")
    assert row.a is not None and back.b is not None and row.a.alternative == back.b.alternative
    matrix = gap_matrix([positions_of(a), positions_of(b)])
    assert matrix.gap("a", "b") == matrix.gap("b", "a") == forward.summary.overall_gap
