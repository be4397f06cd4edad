"""The bargaining layer: its answers against brute force, its file format, and its honesty."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import negpos
from negpos.bargaining import (
    DERIVED_NOTE,
    BargainingError,
    Concept,
    ProfileFileError,
    ZoneStatus,
    bargain,
    derive_domain,
    find_trades,
    forecast_stakeholders,
    load_profiles,
    outcome_utilities,
    pareto_frontier,
    solve_all,
    to_geniusweb,
    weighted_mean,
    weighted_median,
    zones_of_agreement,
)
from negpos.bargaining.forecast import parse_stakeholders
from negpos.bargaining.profiles import domain_from_document
from negpos.bargaining.trades import IssueChange, Trade
from negpos.documents import parse_document
from negpos.positions import positions_of
from negpos.reports.bargaining_report import BARGAINING_TABLES, bargaining_report

ROOT = Path(__file__).resolve().parent.parent
WAGES = ROOT / "examples" / "bargaining" / "wages"
UKRAINE = ROOT / "examples" / "ukraine"


def _wages() -> tuple[negpos.Codebook, list[negpos.PositionSet]]:
    codebook = negpos.load_codebook(WAGES / "codebook.yaml")
    proposals = [
        positions_of(negpos.load(path, codebook=codebook))
        for path in sorted((WAGES / "proposals").glob("*.yaml"))
    ]
    return codebook, proposals


# --------------------------------------------------------------------- brute force laws


def _brute_frontier(utilities: np.ndarray) -> set[int]:
    efficient = set()
    for i, u in enumerate(utilities):
        if not any((v >= u).all() and (v > u).any() for v in utilities):
            efficient.add(i)
    return efficient


utility_tables = st.integers(2, 4).flatmap(
    lambda parties: hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 40), st.just(parties)),
        elements=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.1, 0.9]),
    )
)


@settings(max_examples=300, deadline=None)
@given(utility_tables)
def test_frontier_is_exactly_the_non_dominated_packages(utilities: np.ndarray) -> None:
    found = pareto_frontier(utilities)
    assert len(set(found.tolist())) == len(found)
    assert set(found.tolist()) == _brute_frontier(utilities)


@settings(max_examples=200, deadline=None)
@given(utility_tables, st.floats(0, 0.6))
def test_solutions_match_brute_force(utilities: np.ndarray, walk_away: float) -> None:
    reservations = np.full(utilities.shape[1], walk_away)
    solutions = solve_all(utilities, pareto_frontier(utilities), reservations)
    rational = [u for u in utilities if (u >= reservations).all()]
    if not rational:
        assert all(s.package is None for s in solutions.values())
        return
    gains = [u - reservations for u in rational]
    possible = np.max(gains, axis=0)
    expected = {
        Concept.UTILITARIAN: max(u.sum() for u in rational),
        Concept.EGALITARIAN: max(g.min() for g in gains),
        Concept.KALAI_SMORODINSKY: max(
            min(g[p] / possible[p] if possible[p] > 0 else 1.0 for p in range(len(g)))
            for g in gains
        ),
    }
    for concept, value in expected.items():
        solution = solutions[concept]
        assert solution.value == pytest.approx(value, abs=1e-9)
        assert solution.package is not None
        assert solution.package in set(pareto_frontier(utilities).tolist())
    strictly = [g for g in gains if (g > 0).all()]
    nash = solutions[Concept.NASH]
    if strictly:
        assert nash.value == pytest.approx(max(float(np.prod(g)) for g in strictly), abs=1e-12)
        # every tie reported is as good, and every package as good is reported
        assert nash.value is not None
        best = [
            i
            for i in pareto_frontier(utilities)
            if (utilities[i] > reservations).all()
            and np.prod(utilities[i] - reservations) >= nash.value - 1e-9
        ]
        assert sorted(nash.packages) == sorted(int(i) for i in best)
    else:
        assert nash.package is None and nash.why_none


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(0, 4)), min_size=1, max_size=8).filter(
        lambda rows: sum(w for _, w in rows) > 0
    )
)
def test_weighted_median_and_mean_match_brute_force(rows: list[tuple[int, int]]) -> None:
    places = np.array([float(p) for p, _ in rows])
    weights = np.array([float(w) for _, w in rows])

    def cost(x: float) -> float:
        return float((weights * np.abs(places - x)).sum())

    best = min(cost(x) for x in places)
    minimisers = [x for x in places if cost(x) <= best + 1e-9]
    median = weighted_median(places, weights)
    assert (median.low, median.high) == (min(minimisers), max(minimisers))
    assert weighted_mean(places, weights) == pytest.approx(
        sum(p * w for p, w in rows) / weights.sum()
    )


# --------------------------------------------------------------------- the textbook domain


def test_textbook_answers_are_the_hand_worked_ones() -> None:
    codebook, proposals = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    result = bargain(domain, proposals=proposals, against="employer-2024-02-08")
    assert domain.size == 24 and len(result.frontier) == 7
    nash = result.solutions[Concept.NASH]
    assert nash.package is not None
    assert domain.describe_package(nash.package) == {
        "pay.raise": "2 percent",
        "time.leave": "28 days",
        "time.remote_work": "yes",
    }
    # Union: 0.5 × 2/6 + 0.3 × 0.6 + 0.2 × 1; Employer: 0.6 × 4/6 + 0.3 × 0.7 + 0.1 × 0.8
    assert result.utilities_of(nash.package) == pytest.approx(
        (0.5 / 3 + 0.18 + 0.2, 0.4 + 0.21 + 0.08)
    )
    assert nash.value == pytest.approx((0.5 / 3 + 0.38 - 0.3) * (0.69 - 0.3))
    zones = {z.key: z for z in result.zones}
    assert zones["pay.raise"].status is ZoneStatus.OVERLAP
    assert zones["pay.raise"].overlap == "4 percent"
    assert zones["time.leave"].status is ZoneStatus.UNKNOWN  # the employer states no fallback
    for trade in result.trades:
        assert min(trade.gains) > 0
        assert len(trade.changes) in (1, 2)


def test_trades_raise_every_party_and_explain_who_gives() -> None:
    codebook, _ = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    utilities = outcome_utilities(domain)
    base = domain.package(int(np.argmin(utilities.sum(axis=1))))
    trades = find_trades(domain, base, limit=50)
    assert trades
    names = {"U": "Union", "E": "Employer"}
    for trade in trades:
        assert (utilities[trade.package] - utilities[domain.index_of(base)] > 0).all()
        assert trade.explain(names)
    assert [t.smallest_gain for t in trades] == sorted(
        (t.smallest_gain for t in trades), reverse=True
    )


def test_sensitivity_is_seeded_and_the_same_for_any_number_of_workers() -> None:
    codebook, proposals = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    one = bargain(domain, proposals=proposals, samples=600, seed=7).sensitivity
    again = bargain(domain, proposals=proposals, samples=600, seed=7, workers=2).sensitivity
    other = bargain(domain, proposals=proposals, samples=600, seed=8).sensitivity
    assert one is not None and again is not None and other is not None
    assert one == again
    assert one != other
    assert one.uncertain == 1
    # the Nash package does not move with the union's weight on pay in this domain
    assert one.same_solution[Concept.NASH] == 1.0


def test_nothing_uncertain_means_every_answer_holds() -> None:
    codebook, _ = _wages()
    text = (WAGES / "profiles.yaml").read_text(encoding="utf-8")
    text = text.replace("{value: 0.5, range: [0.4, 0.6]}", "0.5")
    domain = domain_from_document(parse_document(text, name="fixed.yaml"), codebook=codebook)
    run = bargain(domain, samples=50).sensitivity
    assert run is not None and run.uncertain == 0
    assert set(run.same_solution.values()) == {1.0}


# --------------------------------------------------------------------- file format


def _problems(text: str) -> list[str]:
    codebook, _ = _wages()
    with pytest.raises(ProfileFileError) as caught:
        domain_from_document(parse_document(text, name="p.yaml"), codebook=codebook)
    return [str(p) for p in caught.value.problems]


def _profiles(**changes: str) -> str:
    text = (WAGES / "profiles.yaml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_profile_problems_name_line_field_and_expectation() -> None:
    problems = _problems(
        _profiles(
            **{
                "time.leave: {days_25: 0.0, days_28: 0.6, days_30: 1.0}": "time.leave: {days_25: 0.0, days_31: 0.6, days_30: 1.0}",
                "reservation: 0.3\n    capability: 1\n    weights:\n      pay.raise: {value": "reservation: 1.5\n    capability: 1\n    weights:\n      pay.raise: {value",
            }
        )
    )
    assert any(
        "p.yaml:" in p and "days_31" in p and "not an option of 'time.leave'" in p for p in problems
    )
    assert any("no utility for days_28" in p for p in problems)
    assert any("reservation" in p and "expected a number from 0 to 1" in p for p in problems)
    line = next(p for p in problems if "days_31" in p)
    assert line.startswith("p.yaml:27: parties[0].utilities.time.leave.days_31:")


def test_profiles_refuse_issues_without_options_and_unknown_keys() -> None:
    problems = _problems(_profiles(**{"- {issue: time.remote_work}": "- {issue: time.nosuch}"}))
    assert any("'time.nosuch' is not an issue of the codebook" in p for p in problems)
    assert any("'time.remote_work' is not in the scope" in p for p in problems)


def test_outcome_space_over_the_limit_is_refused_before_allocating() -> None:
    codebook, _ = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    with pytest.raises(BargainingError, match=r"24 packages \(4 × 3 × 2\), over the limit of 10"):
        outcome_utilities(domain, max_outcomes=10)


# --------------------------------------------------------------------- derived profiles


def test_derived_profiles_say_so_and_mark_every_number_inferred() -> None:
    proposals = [negpos.load(p) for p in sorted(UKRAINE.glob("*.yaml"))]
    domain = derive_domain(
        proposals,
        parties=["RU", "US"],
        issues=["security.UA.membership.NATO", "sanctions.lifting"],
    )
    assert DERIVED_NOTE in domain.notes
    assert [p.derived_from for p in domain.parties] == ["russia-2025-06-02", "us-2025-11-20"]
    assert all(p.basis == "inferred" for p in domain.parties)
    result = bargain(
        domain,
        proposals=[
            positions_of(p) for p in proposals if p.id in ("russia-2025-06-02", "us-2025-11-20")
        ],
    )
    for name in BARGAINING_TABLES:
        text = bargaining_report(result).section(name).to_text()
        assert "derived from the proposals" in text, name
    # each party's own stance is its ideal: utility 1 at its own package
    for placed in result.placed:
        assert placed.package is not None and placed.utilities is not None
    own = {p.proposal: p for p in result.placed}
    assert own["russia-2025-06-02"].utilities is not None
    assert own["russia-2025-06-02"].utilities[0] == pytest.approx(1.0)


def test_an_issue_a_party_leaves_unstated_is_not_bargained_over() -> None:
    proposals = [negpos.load(p) for p in sorted(UKRAINE.glob("*.yaml"))]
    with pytest.raises(BargainingError, match="states no level"):
        derive_domain(proposals, parties=["RU", "US"], issues=["assets.frozen_sovereign_assets"])
    with pytest.raises(BargainingError, match=r"time\.nope is not an issue of the codebook in use"):
        derive_domain(proposals, parties=["RU", "US"], issues=["time.nope"])
    with pytest.raises(BargainingError, match="is a set issue: a package needs a finite list"):
        derive_domain(proposals, parties=["RU", "US"], issues=["territory.crimea.recognised_by"])


# --------------------------------------------------------------------- forecast, exports


def test_stakeholder_table_in_the_expected_utility_layout() -> None:
    rows = parse_stakeholders(
        "Actor,Capability,Position,Salience\nA,100,0,80\nB,50,100,90\nC,40,60,50\n"
    )
    (row,) = forecast_stakeholders(rows)
    assert row.median is not None and row.median.low == 0.0  # A's 8000 of 14500 is a majority
    assert row.mean == pytest.approx((0 * 8000 + 100 * 4500 + 60 * 2000) / 14500)


def test_stakeholder_problems_name_the_line() -> None:
    with pytest.raises(ProfileFileError) as caught:
        parse_stakeholders("actor,power,position,salience\nA,1,x,2\n", name="s.csv")
    assert [str(p) for p in caught.value.problems] == [
        "s.csv:2: position: expected a number, got 'x'"
    ]


def test_geniusweb_export_is_linear_additive_with_weights_summing_to_one() -> None:
    codebook, _ = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    exported = json.loads(json.dumps(to_geniusweb(domain, name="wages")))
    assert set(exported["domain"]["issuesValues"]) == {
        "pay.raise",
        "time.leave",
        "time.remote_work",
    }
    for profile in exported["profiles"].values():
        space = profile["LinearAdditiveUtilitySpace"]
        assert sum(space["issueWeights"].values()) == pytest.approx(1.0)
        for issue, values in exported["domain"]["issuesValues"].items():
            table = space["issueUtilities"][issue]["discreteutils"]["valueUtilities"]
            assert list(table) == values["values"]
    # utilities in the export reproduce negpos's own package utilities
    union = exported["profiles"]["U"]["LinearAdditiveUtilitySpace"]
    nash = bargain(domain).solutions[Concept.NASH]
    assert nash.package is not None
    choice = dict(
        zip(["pay.raise", "time.leave", "time.remote_work"], ["2", "days_28", "yes"], strict=True)
    )
    total = sum(
        union["issueWeights"][k] * union["issueUtilities"][k]["discreteutils"]["valueUtilities"][v]
        for k, v in choice.items()
    )
    assert total == pytest.approx(bargain(domain).utilities_of(nash.package)[0])


def test_every_format_renders_and_is_deterministic() -> None:
    codebook, proposals = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    report = bargaining_report(bargain(domain, proposals=proposals, samples=100, seed=3))
    for fmt in ("text", "markdown", "latex", "html", "json"):
        assert report.render(fmt) == report.render(fmt)
    assert "Inferred" in report.render("markdown")
    csv = report.section("frontier").to_csv()
    assert csv.splitlines()[0].startswith("package,utility_U,utility_E")
    with pytest.raises(ValueError, match="--table"):
        report.render("csv")
    assert report.render("csv", ["zones"]) == report.section("zones").to_csv()
    assert list(json.loads(report.render("json", ["trades"]))) == ["trades", "notes"]


def test_all_packages_enumerate_in_the_order_of_the_utility_table() -> None:
    codebook, _ = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    utilities = outcome_utilities(domain)
    tables = domain.issue_utilities()
    for index, choices in enumerate(itertools.product(*(range(n) for n in domain.shape))):
        assert domain.package(index) == choices
        expected = sum(t[:, c] for t, c in zip(tables, choices, strict=True))
        assert utilities[index] == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(utility_tables, st.floats(0, 0.6))
def test_the_sensitivity_runs_fast_solver_agrees_with_the_point_solver(
    utilities: np.ndarray, walk_away: float
) -> None:
    """Each draw uses a leaner solver (no frontier, penalties instead of masks): its packages
    must score what the point solver's do."""
    from negpos.bargaining.sensitivity import _solutions, _Workspace

    reservations = np.full(utilities.shape[1], walk_away)
    point = solve_all(utilities, pareto_frontier(utilities), reservations)
    table = np.ascontiguousarray(utilities.T)
    fast = _solutions(table, reservations, _Workspace(*table.shape))
    gains = utilities - reservations
    rational = (gains >= 0).all(axis=1)
    possible = np.where(rational[:, None], gains, -np.inf).max(axis=0) if rational.any() else None

    def score(concept: Concept, package: int) -> float:
        g = gains[package]
        if concept is Concept.NASH:
            return float(np.prod(g))
        if concept is Concept.UTILITARIAN:
            return float(utilities[package].sum())
        if concept is Concept.EGALITARIAN:
            return float(g.min())
        assert possible is not None
        return float(min(g[p] / possible[p] if possible[p] > 0 else 1.0 for p in range(len(g))))

    for concept in Concept:
        package = fast.package[concept]
        # the same table as the point answer's: the point answer holds, ties included
        assert fast.holds(concept, np.array(point[concept].packages, dtype=np.int64))
        if point[concept].package is None:
            assert package is None
            continue
        assert package is not None
        assert rational[package]
        assert score(concept, package) == pytest.approx(point[concept].value, abs=1e-9)


def test_with_nothing_uncertain_every_answer_holds_even_among_ties() -> None:
    """A dominated package that ties the egalitarian score, and sums that differ in the last
    bit, are no change: with every number fixed, every share is 100 %."""
    codebook, _ = _wages()
    text = (
        "profiles: 1\ntitle: ties\nscope:\n  - {issue: time.leave}\n  - {issue: time.remote_work}\n"
        "parties:\n  - party: U\n    weights: {time.leave: 0.8, time.remote_work: 0.2}\n"
        "    utilities:\n      time.leave: {days_25: 0.0, days_28: 0.5, days_30: 1.0}\n"
        "      time.remote_work: {true: 0.0, false: 1.0}\n"
        "  - party: E\n    weights: {time.leave: 1, time.remote_work: 0}\n"
        "    utilities:\n      time.leave: {days_25: 1.0, days_28: 0.3, days_30: 0.0}\n"
        "      time.remote_work: {true: 0.5, false: 0.5}\n"
    )
    domain = domain_from_document(parse_document(text, name="ties.yaml"), codebook=codebook)
    run = bargain(domain, samples=20).sensitivity
    assert run is not None and run.uncertain == 0
    assert set(run.same_solution.values()) == {1.0}
    assert {share for _, share in run.efficient} == {1.0}


def test_profile_scope_problems_are_caught_before_anything_is_built() -> None:
    problems = _problems(
        _profiles(**{"- {issue: pay.raise, step: 2}": "- {issue: pay.raise, step: 1e-12}"})
    )
    assert any(
        "scope[0].step: the range 0 to 6 in steps of 1e-12 gives more than" in p for p in problems
    )
    problems = _problems(
        _profiles(**{"- {issue: time.leave}": "- {issue: time.leave}\n  - {issue: time.leave}"})
    )
    assert any("scope[2].issue: 'time.leave' is given twice" in p for p in problems)
    zero = "pay.raise: 0.6\n      time.leave: 0.3\n      time.remote_work: 0.1"
    problems = _problems(
        _profiles(**{zero: "pay.raise: 0\n      time.leave: 0\n      time.remote_work: 0"})
    )
    assert any("parties[1].weights: every weight is 0" in p for p in problems)


def test_a_profile_file_for_another_codebook_gets_one_hint_not_a_cascade() -> None:
    text = (WAGES / "profiles.yaml").read_text(encoding="utf-8")
    with pytest.raises(ProfileFileError) as caught:
        domain_from_document(parse_document(text, name="p.yaml"))  # the default codebook
    lines = [str(p) for p in caught.value.problems]
    assert not any("is not in the scope" in line for line in lines)
    assert any("Pass it with --codebook FILE" in line for line in lines)


def _wage_proposal(pid: str, author: str, issues: str) -> negpos.PositionSet:
    codebook, _ = _wages()
    text = (
        f"id: {pid}\ntitle: {pid}\ndate: 2024-02-01\nstatus: draft\nauthors: [{author}]\n"
        "parties:\n  - {id: U, name: Union, kind: union}\n  - {id: E, name: Employer, kind: company}\n"
        "sources:\n  - {id: S1, publisher: p, title: t}\nissues:\n" + issues
    )
    from negpos.files import proposal_from_document

    return positions_of(proposal_from_document(parse_document(text, name=pid), codebook=codebook))


def test_zones_keep_silent_issues_and_mark_inferred_sides() -> None:
    union = _wage_proposal(
        "u",
        "U",
        "  time.leave: {value: days_30, basis: inferred, sources: [S1]}\n"
        "  time.remote_work: {value: true, sources: [S1]}\n",
    )
    employer = _wage_proposal("e", "E", "  time.leave: {value: days_30, sources: [S1]}\n")
    zones = {
        z.key: z for z in zones_of_agreement([union, employer], ["time.leave", "time.remote_work"])
    }
    assert zones["time.remote_work"].status is ZoneStatus.UNKNOWN
    assert zones["time.remote_work"].reason == "not addressed by e"
    assert [s.inferred for s in zones["time.leave"].sides] == [True, False]


def test_alternatives_state_a_fallback_only_when_each_does() -> None:
    """Two bare alternatives name what a side accepts, not all it would accept: where they
    miss the other side's fallbacks the zone is unknown, not empty (numbers and finite issues
    alike)."""
    codebook, _ = _wages()
    union = _wage_proposal(
        "u", "U", "  pay.raise: {value: {amount: 6, unit: percent}, sources: [S1]}\n"
    )
    alternatives = (
        "alternatives:\n"
        "  - {id: a1, label: one, sources: [S1], issues: {time.leave: days_30, pay.raise: {amount: 5, unit: percent}}}\n"
        "  - {id: a2, label: two, sources: [S1], issues: {time.leave: days_28, pay.raise: {amount: 4, unit: percent}}}\n"
    )
    text = (
        "id: u2\ntitle: u2\ndate: 2024-02-01\nstatus: draft\nauthors: [U]\n"
        "parties:\n  - {id: U, name: Union, kind: union}\n  - {id: E, name: Employer, kind: company}\n"
        "sources:\n  - {id: S1, publisher: p, title: t}\n" + alternatives
    )
    from negpos.files import proposal_from_document

    with_alternatives = positions_of(
        proposal_from_document(parse_document(text, name="u2"), codebook=codebook)
    )
    employer = _wage_proposal(
        "e",
        "E",
        "  time.leave: {value: days_25, acceptable: [days_25], sources: [S1]}\n"
        "  pay.raise: {value: {amount: 1, unit: percent}, acceptable: {max: 2}, sources: [S1]}\n",
    )
    zones = zones_of_agreement([with_alternatives, employer], ["time.leave", "pay.raise"])
    assert [z.status for z in zones] == [ZoneStatus.UNKNOWN, ZoneStatus.UNKNOWN]
    assert union.candidates("pay.raise")


def test_derived_scope_names_what_it_leaves_out_and_why() -> None:
    proposals = [negpos.load(p) for p in sorted(UKRAINE.glob("*.yaml"))]
    domain = derive_domain(proposals, parties=["RU", "UA"])
    left = "; ".join(domain.left_out)
    assert "ceasefire.scope (a set issue)" in left
    assert "assets.frozen_sovereign_assets (RU states no level)" in left
    left_keys = {entry.split(" (")[0] for entry in domain.left_out}
    assert not left_keys & {i.key for i in domain.issues}


def test_trades_name_who_gains_when_nobody_gives() -> None:
    codebook, _ = _wages()
    domain = load_profiles(WAGES / "profiles.yaml", codebook=codebook)
    trade = Trade(
        package=0,
        changes=(IssueChange("k", "Leave", "25 days", "28 days", (), ("U",), ("E",)),),
        gains=(0.1, 0.0),
    )
    assert trade.explain({"U": "Union", "E": "Employer"}) == (
        "Union gains on Leave (25 days → 28 days), Employer unaffected"
    )
    assert domain.size == 24
