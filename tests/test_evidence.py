"""Evidence per stance and the basis of every judgement, as the tables show them."""

from __future__ import annotations

import json
from typing import Any

import pytest

import negpos
from negpos.engine import Relation
from negpos.model import Basis, Proposal
from negpos.positions import positions_of
from tests.conftest import minimal_data


def _proposal(pid: str, **security: Any) -> Proposal:
    data = minimal_data(id=pid, label=pid.upper())
    data["sources"].append(
        {"id": "S2", "publisher": "Herald", "title": "Point by point", "date": "2024-03-02"}
    )
    data["security"] = [{"party": "S", "sources": ["S1"], **security}]
    return Proposal.model_validate(data)


QUOTED = {
    "value": "barred",
    "evidence": [
        {"source": "S2", "locator": "point 7", "quote": "Southland shall never join the Alliance."}
    ],
}


def test_a_quote_makes_a_stance_stated_and_its_source_counts() -> None:
    proposal = _proposal("a", memberships={"ALLY": QUOTED}, force_cap="limited")
    stances = {keyed.key: keyed for keyed in proposal.keyed_stances()}
    membership, cap = stances["security.S.membership.ALLY"], stances["security.S.force_cap"]
    assert membership.basis is Basis.STATED and membership.sources == ("S2",)
    assert cap.basis is Basis.REPORTED and cap.sources == ("S1",)  # its section's, no quote


def test_tables_give_locators_with_source_numbers_and_the_quote_on_demand() -> None:
    a = _proposal("a", memberships={"ALLY": QUOTED})
    b = _proposal("b", memberships={"ALLY": "barred"})
    comparison = negpos.compare(a, b)
    text = comparison.to_text()
    assert "(point 7)" in text
    assert "Quotes:" in text and "“Southland shall never join the Alliance.”" in text
    html = comparison.to_html()
    assert '<details class="negpos-quotes"><summary>Quotes</summary>' in html
    markdown = comparison.to_markdown()
    assert "(point 7)" in markdown and "Southland shall never join the Alliance." in markdown
    assert "Southland shall never join" in comparison.to_latex()
    record = next(r for r in json.loads(comparison.to_json()) if r["issue"].endswith("ALLY"))
    assert record["stance_a"]["basis"] == "stated"
    assert record["stance_a"]["evidence"] == [
        {"source": "S2", "locator": "point 7", "quote": "Southland shall never join the Alliance."}
    ]


def test_an_inferred_red_line_is_marked_and_never_printed_as_stated() -> None:
    a = _proposal(
        "a",
        memberships={"ALLY": {"value": "barred", "red_line": {"value": True, "basis": "inferred"}}},
    )
    assert "barred (red line, inferred)" in negpos.compare(a, a).to_markdown()
    stated = _proposal("s", memberships={"ALLY": {**QUOTED, "red_line": True}})
    markdown = negpos.compare(stated, stated).to_markdown()
    assert "barred (red line)" in markdown and "red line, inferred" not in markdown


def test_inferred_stance_is_marked_in_every_cell() -> None:
    a = _proposal("a", force_cap={"value": "limited", "basis": "inferred"})
    (position,) = [p for p in positions_of(a).values() if p.key.endswith("force_cap")]
    assert position.basis == "inferred"
    assert "capped (inferred)" in negpos.compare(a, a).to_markdown()


def test_exclude_inferred_leaves_inferences_out_of_relations_and_weights() -> None:
    a = _proposal(
        "a",
        force_cap={"value": "limited", "basis": "inferred"},
        memberships={"ALLY": {"value": "barred", "salience": {"value": 1.0, "basis": "inferred"}}},
    )
    b = _proposal("b", force_cap="none", memberships={"ALLY": "permitted"})
    kept = negpos.compare(a, b)
    assert kept.relations()["security.S.force_cap"] is Relation.CONFLICT
    assert kept.issue("security.S.membership.ALLY").weight == 0.75
    left_out = negpos.compare(a, b, exclude_inferred=True)
    assert left_out.relations()["security.S.force_cap"] is Relation.ONLY_B  # unstated on A's side
    assert left_out.issue("security.S.membership.ALLY").weight == 0.5  # salience unstated
    assert "The coder's inferences are left out" in left_out.to_text()


def test_evidence_must_cite_a_source_of_the_proposal() -> None:
    bad = {"value": "barred", "evidence": [{"source": "S9", "locator": "§ 1"}]}
    with pytest.raises(ValueError, match="unknown source 'S9'"):
        _proposal("a", memberships={"ALLY": bad})


def test_a_bad_judgement_gets_one_clear_error() -> None:
    with pytest.raises(ValueError, match=r"expected true, false or \{value, basis\}") as raised:
        _proposal("a", memberships={"ALLY": {"value": "barred", "red_line": "yes"}})
    assert str(raised.value).count("red_line") == 1
