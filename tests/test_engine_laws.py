"""The engine's laws, on random proposals: self-agreement, mirroring, gaps in range, round trips."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import negpos
from negpos.engine import Relation
from negpos.engine.rules import Reason
from negpos.model import Proposal
from negpos.positions import UNSTATED
from tests.strategies import proposals

LAW_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@LAW_SETTINGS
@given(proposals())
def test_a_proposal_agrees_with_itself_everywhere(proposal: Proposal) -> None:
    twin = Proposal.model_validate(proposal.model_dump())  # compiled apart: no shared objects
    comparison = negpos.compare(proposal, twin)
    assert all(item.relation is Relation.AGREE for item in comparison.issues)
    # every gap is 0, but for issues addressed without a level: nothing to measure there
    assert all(
        item.gap == 0.0 or (item.gap is None and item.reason is Reason.UNSTATED)
        for item in comparison.issues
    )
    stated = {keyed.key for keyed in proposal.keyed_stances()}
    stated |= {key for alternative in proposal.alternatives for key in alternative.issues}
    assert len(comparison.issues) == len(stated)


@LAW_SETTINGS
@given(proposals("a"), proposals("b"))
def test_swapping_sides_mirrors_the_result(a: Proposal, b: Proposal) -> None:
    forward, backward = negpos.compare(a, b), negpos.compare(b, a)
    assert [i.key for i in forward.issues] == [i.key for i in backward.issues]
    for there, back in zip(forward.issues, backward.issues, strict=True):
        assert back.relation is there.relation.mirrored()
        assert back.gap == there.gap
    assert forward.summary.overall_gap == backward.summary.overall_gap


@LAW_SETTINGS
@given(proposals("a"), proposals("b"))
def test_gaps_stay_in_range_and_only_one_sided_rows_have_none(a: Proposal, b: Proposal) -> None:
    comparison = negpos.compare(a, b)
    for item in comparison.issues:
        both_unstated = item.a is not None and item.b is not None and item.a.value is UNSTATED
        both_unstated = both_unstated and item.b is not None and item.b.value is UNSTATED
        if item.relation in (Relation.ONLY_A, Relation.ONLY_B, Relation.UNCLEAR) or both_unstated:
            assert item.gap is None  # one side silent, or no level stated to measure
        else:
            assert item.gap is not None and 0.0 <= item.gap <= 1.0
        if item.relation is Relation.AGREE:
            assert item.gap == 0.0 or (item.gap is None and item.reason is Reason.UNSTATED)
    overall = comparison.summary.overall_gap
    assert overall is None or 0.0 <= overall <= 1.0
    assert sum(comparison.summary.counts.values()) == len(comparison.issues)


@LAW_SETTINGS
@given(proposals())
def test_a_dumped_proposal_loads_back_equal(proposal: Proposal) -> None:
    for fmt in ("yaml", "json"):
        from negpos.documents import parse_document
        from negpos.files import proposal_from_document

        text = negpos.dumps(proposal, fmt=fmt)
        again = proposal_from_document(parse_document(text, as_json=fmt == "json"))
        assert again == proposal


_FIGURES = st.one_of(
    st.sampled_from([1e308, -1e308, 1.7976931348623157e308, -5e307, 0.0, 1.0, -1.0, 5e-324]),
    st.floats(allow_nan=False, allow_infinity=False),
)


@st.composite
def _ranges(draw: st.DrawFn) -> tuple[float, float] | None:
    if draw(st.booleans()):
        return None
    low, high = sorted((draw(_FIGURES), draw(_FIGURES)))
    assume(low < high)  # a codebook refuses an empty range
    return low, high


@LAW_SETTINGS
@given(st.lists(_FIGURES, min_size=2, max_size=5), _ranges())
def test_the_matrix_equals_compare_at_extreme_figures(
    figures: list[float], span: tuple[float, float] | None
) -> None:
    from negpos.codebook import Codebook, default_codebook
    from negpos.engine.diff import diff
    from negpos.engine.matrix import gap_matrix
    from negpos.positions import positions_of
    from tests.conftest import minimal_data

    issue: dict[str, Any] = {
        "key": "custom.amount",
        "label": "Amount",
        "category": "reparations",
        "kind": "number",
    }
    if span is not None:
        issue["range"] = {"min": span[0], "max": span[1]}
        figures = [min(max(figure, span[0]), span[1]) for figure in figures]  # in range
    mine = Codebook.model_validate({"name": "mine", "extends": "default", "issues": [issue]})
    codebook = default_codebook().extended_with(mine)
    sets = []
    for index, figure in enumerate(figures):
        data = minimal_data(id=f"p{index}", territory=[], security=[])
        data["issues"] = {"custom.amount": {"value": figure, "sources": ["S1"]}}
        proposal = Proposal.model_validate(data, context={"codebook": codebook})
        sets.append(positions_of(proposal))
    matrix = gap_matrix(sets)  # filterwarnings=error: no overflow or invalid-value warning
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            expected = diff(a, b).summary.overall_gap
            assert expected is not None
            assert matrix.gaps[i, j] == expected, (figures[i], figures[j], span)
