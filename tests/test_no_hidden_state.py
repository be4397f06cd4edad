"""No hidden state: a proposal cannot change once validated, a changed proposal is derived
and validated anew, and compiled positions belong to the one object they were made from."""

from __future__ import annotations

import copy
import gc
import pickle
from typing import Any, cast

import pytest
from pydantic import ValidationError

import negpos
from negpos.model import Alternative, FrozenDict, IssueStance, Proposal
from negpos.positions import _COMPILED, _CompiledPositions, positions_of
from tests.conftest import minimal_data


def _proposal(**changes: Any) -> Proposal:
    return Proposal.model_validate(minimal_data(**changes))


def _alternatives() -> list[dict[str, Any]]:
    return [
        {"id": "one", "label": "first", "sources": ["S1"], "issues": {"ceasefire.sequencing": "after_withdrawal"}},
        {"id": "two", "label": "second", "sources": ["S1"], "issues": {"ceasefire.sequencing": "after_agreement"}},
    ]  # fmt: skip


# ------------------------------------------------------------------ immutable issues


def test_issues_cannot_be_changed_in_place() -> None:
    proposal = _proposal(alternatives=_alternatives())
    stance = IssueStance.model_validate({"value": "full", "sources": ["S1"]})
    mappings = [
        proposal.issues,
        proposal.alternatives[0].issues,
        proposal.security[0].memberships,
    ]
    for mapping in mappings:
        assert isinstance(mapping, FrozenDict)
        with pytest.raises(TypeError, match="read-only"):
            mapping["sanctions.lifting"] = stance
        key = next(iter(mapping))
        with pytest.raises(TypeError):
            del mapping[key]
        for method, args in [
            ("update", ({key: stance},)),
            ("pop", (key,)),
            ("popitem", ()),
            ("setdefault", ("x", stance)),
            ("clear", ()),
        ]:
            with pytest.raises(TypeError):
                getattr(mapping, method)(*args)
        with pytest.raises(TypeError):
            mapping.__ior__({key: stance})  # mapping |= ...
    assert proposal == _proposal(alternatives=_alternatives())  # nothing changed


def test_read_only_issues_still_read_dump_and_round_trip() -> None:
    proposal = _proposal()
    assert proposal.issues["sanctions.lifting"].value == "staged"
    assert list(proposal.issues) == ["sanctions.lifting"]
    assert proposal.issues == {"sanctions.lifting": proposal.issues["sanctions.lifting"]}
    dumped = proposal.model_dump(mode="json", exclude_defaults=True)
    assert type(dumped["issues"]) is dict
    assert dumped["issues"] == {"sanctions.lifting": {"sources": ["S1"], "value": "staged"}}
    assert type(proposal.model_dump()["security"][0]["memberships"]) is dict
    for fmt in ("yaml", "json"):
        assert Proposal.model_validate(negpos.documents.parse_document(
            negpos.dumps(proposal, fmt=fmt), as_json=fmt == "json").data) == proposal  # fmt: skip
    assert pickle.loads(pickle.dumps(proposal)) == proposal
    assert copy.deepcopy(proposal) == proposal
    assert hash(proposal) == hash(copy.deepcopy(proposal))  # frozen all the way down
    empty = _proposal(issues={})
    assert empty.issues == {} and "issues" not in negpos.dumps(empty)


def test_read_only_issues_keep_the_schema_of_a_mapping() -> None:
    schema = Proposal.model_json_schema()
    issues = schema["properties"]["issues"]
    assert issues["type"] == "object" and "additionalProperties" in issues
    alternative = Alternative.model_json_schema()["properties"]["issues"]
    assert alternative["minProperties"] == 1 and "minLength" not in alternative


def test_a_bad_bound_under_issues_still_lists_the_allowed_values(tmp_path: Any) -> None:
    data = minimal_data()
    data["issues"]["sanctions.lifting"]["bound"] = "sideways"
    path = tmp_path / "p.json"
    import json

    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(negpos.ProposalFileError) as info:
        negpos.load(path)
    (problem,) = info.value.problems
    assert problem.field == "issues.sanctions.lifting.bound"
    assert problem.message == "expected one of max, min, exact; got 'sideways'"


# ------------------------------------------------------------------ deriving a changed proposal


def test_replace_derives_a_validated_proposal() -> None:
    proposal = _proposal()
    changed = proposal.replace(
        title="Northland's second offer",
        issues={"sanctions.lifting": {"value": "full", "sources": ["S1"]}},
    )
    assert changed.title == "Northland's second offer"
    assert changed.issues["sanctions.lifting"].value == "full"
    assert isinstance(changed.issues, FrozenDict)
    assert (proposal.title, proposal.issues["sanctions.lifting"].value) == (
        "Northland's first offer",
        "staged",
    )
    assert proposal.replace() == proposal and proposal.replace() is not proposal
    assert proposal.__replace__(label="N") == proposal.replace(label="N")  # copy.replace, 3.13
    with pytest.raises(ValidationError):
        proposal.__replace__(authors=["nobody"])  # validated, unlike pydantic's own __replace__


def test_replace_runs_every_cross_reference_check_that_model_copy_skips() -> None:
    proposal = _proposal()
    other_source = [{"id": "S2", "publisher": "Herald", "title": "Another text"}]
    unchecked = proposal.model_copy(update={"sources": other_source})
    assert (
        cast(Any, unchecked.sources) == other_source
    )  # model_copy let stances cite a source not there
    with pytest.raises(ValidationError) as info:
        proposal.replace(sources=other_source)
    messages = {(".".join(map(str, e["loc"])), e["msg"]) for e in info.value.errors()}
    assert (
        "issues.sanctions.lifting.sources.0",
        "unknown source 'S1'; the proposal defines: S2",
    ) in messages
    with pytest.raises(ValidationError, match="'sometimes' is not allowed"):
        proposal.replace(issues={"sanctions.lifting": {"value": "sometimes", "sources": ["S1"]}})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        proposal.replace(colour="red")
    with pytest.raises(ValidationError, match="parties"):
        proposal.replace(parties=())  # a required field cannot be emptied either


def test_replace_keeps_the_codebook_the_proposal_was_validated_against() -> None:
    water = negpos.load(
        "docs/examples/water/upland-2023-09-01.yaml",
        codebook="docs/examples/codebooks/water.yaml",
    )
    changed = water.replace(title="Upland, revised")
    assert changed.codebook is water.codebook
    assert positions_of(changed).keys() == positions_of(water).keys()


# ------------------------------------------------------------------ compiled positions


def test_a_derived_proposal_is_compiled_anew() -> None:
    proposal = _proposal()
    first = positions_of(proposal)
    assert positions_of(proposal) is first  # the same object: compiled once
    changed = proposal.replace(issues={"sanctions.lifting": {"value": "full", "sources": ["S1"]}})
    assert positions_of(changed)["sanctions.lifting"].value == "full"
    assert first["sanctions.lifting"].value == "staged"
    copied = proposal.model_copy(update={"title": "Copied"})
    assert positions_of(copied) is not first and positions_of(copied).title == "Copied"
    twin = copy.deepcopy(proposal)  # equal, but another object: its own positions
    assert twin == proposal and positions_of(twin) is not first
    assert positions_of(twin) == first


def test_collected_proposals_leave_no_entries_and_ids_are_never_confused() -> None:
    base = _proposal()
    gc.collect()
    before = len(_COMPILED)
    for index in range(200):  # ids of collected proposals are reused by new ones
        proposal = base.replace(title=f"Offer {index}")
        assert positions_of(proposal).title == f"Offer {index}"
        del proposal
    gc.collect()
    assert len(_COMPILED) <= before


def test_a_late_callback_spares_a_newer_entry() -> None:
    cache = _CompiledPositions()
    proposal = _proposal()
    old, new = positions_of(proposal.replace()), positions_of(proposal)
    cache.put(proposal, old)
    stale_ref = cache._entries[id(proposal)][0]
    cache.put(proposal, new)  # the same id now holds a newer entry
    callback = stale_ref.__callback__
    assert callback is not None
    callback(stale_ref)  # the old entry's proposal "dies" late
    assert cache.get(proposal) is new


def test_positions_handed_out_are_read_only() -> None:
    positions = positions_of(_proposal(alternatives=_alternatives()))
    position = positions["sanctions.lifting"]
    for mapping in (
        positions.positions,
        positions.sort_keys,
        positions.alternatives[0].positions,
        positions["territory.hills.control"].party_names,
    ):
        with pytest.raises(TypeError, match="read-only"):
            mapping["sanctions.lifting"] = position  # type: ignore[index]
    assert positions.without_inferred().positions.keys() == positions.positions.keys()
    assert isinstance(positions.with_alternative("one").positions, FrozenDict)
    assert pickle.loads(pickle.dumps(positions)) == positions
