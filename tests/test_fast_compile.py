"""The fast paths of validation and compiling (issue 9) give what the plain rules give.

Compiled positions of random valid proposals equal a straightforward reference built from
``KeyedStance``'s properties one by one (the compiler reads them all at once through
``KeyedStance.inherited``); an invalid proposal still gets every problem, in the same order,
at the same field, in the same words as before the checks were hoisted per proposal.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from negpos.codebook import IssueKind
from negpos.corpus import Corpus
from negpos.model import KeyedStance, Proposal
from negpos.positions import (
    Citation,
    Position,
    _normalise_any,
    _subject_name,
    clear_compiled_positions,
    positions_of,
    value_text,
)
from tests.conftest import minimal_data
from tests.strategies import proposal_data

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _section_cited(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """Some stances' sources moved to their section, so inheritance is exercised too."""
    rng = random.Random(seed)
    for section in [*data.get("territory", []), *data.get("security", [])]:
        if rng.random() < 0.5:
            continue
        for stance in list(section.values()):
            if isinstance(stance, dict) and "sources" in stance and "evidence" not in stance:
                section.setdefault("sources", list(stance["sources"]))
                del stance["sources"]
                if rng.random() < 0.3:
                    section["basis"] = "inferred"
                    section["red_line"] = True
                    section["salience"] = {"value": 0.5, "basis": "stated"}
    return data


def _reference(proposal: Proposal, keyed: KeyedStance, alternative: Any) -> Position:
    """A position built the plain way: every inherited field from its own property."""
    codebook = proposal.codebook
    resolved = codebook.resolve(keyed.key)
    assert resolved is not None
    definition = resolved.definition
    names = {n: _subject_name(proposal, n, b) for n, b in resolved.bindings.items()}
    subject = next(iter(resolved.bindings.values()), "")
    value, unit = _normalise_any(keyed, definition)
    party_names = (
        {p.id: p.name for p in proposal.parties} if definition.values_from == "parties" else {}
    )
    order = (
        codebook.category_order.get(definition.category, len(codebook.categories)),
        subject,
        [d.key for d in codebook.issues].index(definition.key),
    )
    bound = None
    if definition.kind == IssueKind.NUMBER:
        written = getattr(keyed.stance, "bound", None)
        bound = str(written.value if written is not None else definition.bound)
    region = "region" in resolved.bindings
    sources = {s.id: s for s in proposal.sources}
    written_acceptable = keyed.stance.acceptable
    acceptable: Any = written_acceptable
    if written_acceptable is not None and not hasattr(written_acceptable, "contains"):
        acceptable = frozenset(
            _normalise_any(_with_value(keyed, a), definition)[0] for a in written_acceptable
        )
    return Position(
        key=keyed.key,
        definition=definition,
        label=definition.label_for(names),
        category=definition.category,
        subject=subject,
        order=order,
        value=value,
        unit=unit,
        acceptable=acceptable,
        salience=keyed.salience,
        red_line=keyed.red_line,
        condition=keyed.condition,
        note=keyed.note,
        sources=tuple(sources[i] for i in keyed.sources),
        text=value_text(definition, value, unit, party_names, bound),
        party_names=party_names,
        sort_key=(order, keyed.key),
        bound=bound,
        extent=((keyed.extent.value if keyed.extent else "whole") if region else None),
        area=keyed.area if region else None,
        alternative=alternative[0] if alternative else None,
        alternative_label=alternative[1] if alternative else None,
        evidence=tuple(Citation(sources[e.source], e.locator, e.quote) for e in keyed.evidence),
        basis=keyed.basis.value,
        red_line_basis=keyed.red_line_basis.value if keyed.red_line_basis else None,
        salience_basis=keyed.salience_basis.value if keyed.salience_basis else None,
    )


def _with_value(keyed: KeyedStance, value: Any) -> KeyedStance:
    stance = keyed.stance.model_copy(update={"value": value})
    return dataclasses.replace(keyed, stance=stance)


@_SETTINGS
@given(proposal_data(), st.integers(0, 2**16))
def test_compiled_positions_equal_the_plain_reference(data: dict[str, Any], seed: int) -> None:
    proposal = Proposal.model_validate(_section_cited(data, seed))
    compiled = positions_of(proposal)
    for keyed in proposal.keyed_stances():
        assert keyed.inherited() == (
            keyed.sources,
            keyed.evidence,
            keyed.basis,
            keyed.salience,
            keyed.salience_basis,
            keyed.red_line,
            keyed.red_line_basis,
            keyed.condition,
            keyed.extent,
            keyed.area,
        )
        assert compiled.positions[keyed.key] == _reference(proposal, keyed, None)
    for index, alternative in enumerate(proposal.alternatives):
        package = next(a for a in compiled.alternatives if a.id == alternative.id)
        for keyed in alternative.keyed_stances(("alternatives", index)):
            reference = _reference(proposal, keyed, (alternative.id, alternative.label))
            assert package.positions[keyed.key] == reference


def test_a_corpus_compiles_as_positions_of_does_and_leaves_the_collector_as_it_was() -> None:
    import gc

    proposals = [Proposal.model_validate(minimal_data(id=f"p{i}")) for i in range(3)]
    clear_compiled_positions()
    fresh = [positions_of(p) for p in proposals]
    clear_compiled_positions()
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            sets = Corpus.of(proposals).position_sets()
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
        assert sets == fresh


KNOWN = "assets.frozen_sovereign_assets, assets.reconstruction_amount, ceasefire.arms_supplies_stopped, ceasefire.martial_law_ended, ceasefire.mobilisation_stopped, ceasefire.monitoring, ceasefire.scope, ceasefire.sequencing, humanitarian.prisoners, implementation.legally_binding, implementation.oversight, implementation.un_security_council, nuclear_plant.operator, nuclear_plant.power_shared, nuclear_plant.sovereignty, nuclear_plant.supervisor, political.church_restrictions_lifted, political.elections_deadline, political.elections_required, political.extremist_ideology_banned, political.language_status, sanctions.lifting, sanctions.new_sanctions_barred, sanctions.relations_restored, sanctions.snapback"

# Every problem of HOSTILE, as the checks reported them before they were hoisted per proposal
# (recorded from negpos at commit 76b2f14): same fields, same words, same order.
EXPECTED = [
    (("territory", 1, "region"), "unknown region 'dales'; the proposal defines: hills"),
    (("territory", 0, "sources", 1), "unknown source 'S9'; the proposal defines: S1, S2"),
    (
        ("territory", 0, "evidence", 0, "source"),
        "unknown source 'S8'; the proposal defines: S1, S2",
    ),
    (
        ("territory", 0, "control", "sources", 0),
        "unknown source 'S7'; the proposal defines: S1, S2",
    ),
    (
        ("territory", 0, "control", "evidence", 0, "source"),
        "unknown source 'S6'; the proposal defines: S1, S2",
    ),
    (("territory", 0, "recognition", "area"), "extent area needs `area`: the part meant, in words"),
    (("territory", 1, "control", "sources"), "no source: cite one here or on its section"),
    (("territory", 1, "control"), "unknown region 'dales'; the proposal defines: hills"),
    (("territory", 1, "control", "value"), "'Q' is not allowed; expected one of ALLY, N, S"),
    (
        ("issues", "sanctions.lifting", "sources", 1),
        "unknown source 'S5'; the proposal defines: S1, S2",
    ),
    (
        ("issues", "sanctions.lifting", "value"),
        "'nonsense' is not allowed; expected one of none, gradual, staged, full",
    ),
    (
        ("issues", "sanctions.lifting", "condition", "kind"),
        "unknown condition kind 'whim'; expected one of referendum, ratification, sequence, trigger, other",
    ),
    (
        ("issues", "sanctions.lifting", "condition", "on"),
        "'no.such' is not an issue key of negpos default codebook",
    ),
    (
        ("issues", "sanctions.lifting", "extent"),
        "only stances about a region have an extent or area",
    ),
    (("issues", "sanctions.lifting", "area"), "only stances about a region have an extent or area"),
    (("issues", "sanctions.lifting", "acceptable"), "a {min, max} range suits only number issues"),
    (("issues", "Bad Key"), "an issue key is dotted words, e.g. sanctions.lifting"),
    (
        ("issues", "sanctions.lifting_x"),
        "not an issue of negpos default codebook; known issues: " + KNOWN,
    ),
    (
        ("issues", "no.such_issue"),
        "not an issue of negpos default codebook; known issues: " + KNOWN,
    ),
    (
        ("issues", "territory.hills.control"),
        "not an issue of negpos default codebook; known issues: " + KNOWN,
    ),
    (("issues", "ceasefire.sequencing", "sources"), "no source: cite one here or on its section"),
    (("issues", "sanctions.snapback", "bound"), "only figures have a bound (max, min or exact)"),
    (
        ("alternatives", 0, "issues", "sanctions.snapback"),
        "also stated outside the alternatives; an issue is either in the proposal's terms or in its alternatives",
    ),
    (
        ("alternatives", 0, "issues", "sanctions.relations_restored", "sources", 0),
        "unknown source 'S4'; the proposal defines: S1, S2",
    ),
    (
        ("alternatives", 0, "issues", "sanctions.relations_restored", "value"),
        "expected true or false, got 'x'",
    ),
    (("alternatives",), "give two or more alternatives, or none"),
]


def _hostile() -> dict[str, Any]:
    data = minimal_data()
    data["sources"] = [*data["sources"], {"id": "S2", "publisher": "P", "title": "T"}]
    data["territory"] = [
        {
            "region": "hills",
            "sources": ["S1", "S9"],
            "evidence": [{"source": "S8"}],
            "control": {
                "value": "N",
                "sources": ["S7"],
                "evidence": [{"source": "S6", "quote": "q"}],
            },
            "recognition": {"value": "de_facto", "extent": "area"},
        },
        {"region": "dales", "control": "Q"},
    ]
    data["issues"] = {
        "sanctions.lifting": {
            "value": "nonsense",
            "sources": ["S2", "S5"],
            "extent": "held",
            "area": "x",
            "acceptable": {"min": 1, "max": 2},
            "condition": {"text": "t", "kind": "whim", "on": "no.such"},
        },
        "Bad Key": {"value": "x", "sources": ["S1"]},
        "sanctions.lifting_x": {"value": "full", "sources": ["S1"], "bound": "max"},
        "no.such_issue": {"value": "x", "sources": ["S1"]},
        "territory.hills.control": {"value": "N", "sources": ["S1"]},
        "ceasefire.sequencing": {"value": "unspecified"},
        "sanctions.snapback": {"value": True, "sources": ["S1"], "bound": "max"},
    }
    data["alternatives"] = [
        {
            "id": "a",
            "label": "A",
            "sources": ["S1"],
            "issues": {
                "sanctions.snapback": {"value": True},
                "sanctions.relations_restored": {"value": "x", "sources": ["S4"]},
            },
        }
    ]
    return data


def test_every_problem_is_still_reported_in_its_place_and_order() -> None:
    try:
        Proposal.model_validate(_hostile())
    except ValidationError as exc:
        found = [(e["loc"], e["msg"]) for e in exc.errors()]
    else:
        raise AssertionError("the hostile proposal validated")
    assert found == EXPECTED
