"""The typed model: what validates, what is refused, and how each refusal reads."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from negpos.codebook import Codebook, default_codebook
from negpos.model import Proposal
from negpos.positions import positions_of
from tests.conftest import minimal_data


def _errors(data: dict[str, object]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as info:
        Proposal.model_validate(data)
    return [(".".join(str(p) for p in e["loc"]), e["msg"]) for e in info.value.errors()]


def test_minimal_proposal_validates_and_exposes_keys() -> None:
    proposal = Proposal.model_validate(minimal_data())
    keys = [k.key for k in proposal.keyed_stances()]
    assert keys == [
        "territory.hills.control",
        "territory.hills.recognition",
        "security.S.membership.ALLY",
        "security.S.force_cap",
        "sanctions.lifting",
    ]
    assert proposal.codebook is default_codebook()


def test_a_mapping_of_stances_takes_its_key_segment_from_the_model() -> None:
    """``memberships: {ALLY: …}`` is ``security.S.membership.ALLY`` because the field says so
    (``EntriesKeyed``), not because generic code knows the word."""
    from negpos.model import SecurityStance
    from negpos.model.stance import EntriesKeyed, entries_keyed

    fields = SecurityStance.model_fields
    assert entries_keyed(fields["memberships"]) == EntriesKeyed("membership", "organisation")
    assert all(entries_keyed(f) is None for name, f in fields.items() if name != "memberships")


def test_bare_stance_inherits_section_sources_and_weights() -> None:
    data = minimal_data()
    data["territory"][0].update(salience=0.8, red_line=True, condition="if S agrees")
    data["territory"][0]["recognition"] = {"value": "de_jure", "salience": 0.2, "sources": ["S1"]}
    proposal = Proposal.model_validate(data)
    control, recognition = proposal.keyed_stances()[:2]
    assert control.sources == ("S1",)
    assert (control.salience, control.red_line) == (0.8, True)
    assert control.condition is not None and control.condition.text == "if S agrees"
    assert control.condition.kind == "other"
    assert recognition.salience == 0.2  # its own value wins over the section's


def test_unknown_source_party_region_and_value_are_all_reported() -> None:
    data = minimal_data(authors=["X"])
    data["territory"] = [
        {"region": "plains", "sources": ["S9"], "control": "Q", "recognition": "sort_of"}
    ]
    errors = dict(_errors(data))
    assert "unknown party 'X'" in errors["authors.0"]
    assert "unknown region 'plains'" in errors["territory.0.region"]
    assert "unknown source 'S9'" in errors["territory.0.sources.0"]
    assert "'Q' is not allowed" in errors["territory.0.control.value"]
    assert "expected one of none, de_facto, de_jure" in errors["territory.0.recognition.value"]


def test_stance_without_any_source_is_refused() -> None:
    data = minimal_data()
    data["issues"] = {"sanctions.lifting": "full"}
    assert (
        "issues.sanctions.lifting.sources",
        "no source: cite one here or on its section",
    ) in _errors(data)


def test_unknown_issue_lists_the_known_ones() -> None:
    data = minimal_data()
    data["issues"] = {"sanctions.lift": {"value": "full", "sources": ["S1"]}}
    ((loc, message),) = _errors(data)
    assert loc == "issues.sanctions.lift"
    assert "known issues:" in message and "sanctions.lifting" in message


def test_typed_issue_cannot_be_written_under_issues() -> None:
    data = minimal_data()
    data["issues"] = {"reparations.waiver": {"value": "mutual", "sources": ["S1"]}}
    ((loc, message),) = _errors(data)
    assert loc == "issues.reparations.waiver" and "not an issue" in message


def test_unknown_field_and_bad_salience_are_refused() -> None:
    data = minimal_data(colour="red")
    data["territory"][0]["salience"] = 1.5
    locs = [loc for loc, _ in _errors(data)]
    assert "colour" in locs and "territory.0.salience" in locs


def test_duplicate_ids_are_refused() -> None:
    data = minimal_data()
    data["sources"] = data["sources"] * 2
    assert ("sources.1.id", "'S1' appears twice") in _errors(data)


def test_reserved_party_id_is_refused() -> None:
    data = minimal_data()
    data["parties"].append({"id": "international", "name": "Everyone", "kind": "other"})
    assert any("reserved" in message for _, message in _errors(data))


def test_silence_and_explicit_no_restriction_differ() -> None:
    silent = Proposal.model_validate(minimal_data())
    data = minimal_data()
    data["security"][0]["foreign_troops"] = "allowed"
    explicit = Proposal.model_validate(data)
    assert "security.S.foreign_troops" not in {k.key for k in silent.keyed_stances()}
    assert "security.S.foreign_troops" in {k.key for k in explicit.keyed_stances()}


def test_number_issue_checks_unit_and_range() -> None:
    data = minimal_data()
    data["issues"] = {"political.elections_deadline": {"value": 900, "sources": ["S1"]}}
    ((_, message),) = _errors(data)
    assert "outside the issue's range" in message
    data["issues"] = {
        "political.elections_deadline": {
            "value": {"amount": 10, "unit": "weeks"},
            "sources": ["S1"],
        }
    }
    ((_, message),) = _errors(data)
    assert "unit 'weeks'" in message


def test_acceptable_values_are_checked() -> None:
    data = minimal_data()
    data["issues"] = {
        "sanctions.lifting": {"value": "staged", "acceptable": ["full", "maybe"], "sources": ["S1"]}
    }
    ((loc, message),) = _errors(data)
    assert loc == "issues.sanctions.lifting.acceptable.1" and "'maybe'" in message


def test_proposals_are_frozen() -> None:
    proposal = Proposal.model_validate(minimal_data())
    with pytest.raises(ValidationError):
        proposal.title = "changed"  # type: ignore[misc]


def test_an_empty_condition_or_area_is_refused_when_loaded_not_when_compiled() -> None:
    """Found by the widened strategies: ``condition: ''`` validated, then broke compiling."""
    data = minimal_data()
    data["territory"][0]["condition"] = ""
    data["issues"]["sanctions.lifting"]["area"] = ""
    errors = dict(_errors(data))
    assert errors["territory.0.condition"] == "expected text or {text, kind, on}, got ''"
    assert "at least 1 character" in errors["issues.sanctions.lifting.area"]
    data = minimal_data()
    data["territory"][0].update(condition=" ", extent="area", area=" ")
    positions = positions_of(Proposal.model_validate(data))  # blank is still text: it compiles
    assert positions["territory.hills.control"].condition_text == " "


def test_infinite_and_nan_figures_are_refused() -> None:
    for figure in (float("inf"), float("nan")):
        data = minimal_data()
        data["issues"] = {"assets.reconstruction_amount": {"value": figure, "sources": ["S1"]}}
        assert _errors(data)
        data = minimal_data()
        data["security"][0]["force_cap_size"] = figure
        assert _errors(data)


def test_placeholders_of_user_issue_keys_must_name_known_regions() -> None:
    codebook = _default_plus("territory.{region}.referendum", "{region}: referendum", "territory")
    data = minimal_data()
    data["issues"] = {"territory.atlantis.referendum": {"value": True, "sources": ["S1"]}}
    with pytest.raises(ValidationError, match="unknown region 'atlantis'"):
        Proposal.model_validate(data, context={"codebook": codebook})
    data["issues"] = {"territory.hills.referendum": {"value": True, "sources": ["S1"]}}
    assert Proposal.model_validate(data, context={"codebook": codebook})


def test_withdrawal_line_name_goes_with_named_line_only() -> None:
    data = minimal_data()
    data["territory"][0]["withdrawal"] = "administrative_border"
    data["territory"][0]["withdrawal_line_name"] = "the river"
    assert any("should be named_line" in message for _, message in _errors(data))
    data["territory"][0]["withdrawal"] = "named_line"
    assert Proposal.model_validate(data)
    del data["territory"][0]["withdrawal_line_name"]
    assert any("needs withdrawal_line_name" in message for _, message in _errors(data))


def _codebook_with_a_detail() -> Codebook:
    """A user's codebook where a level of a literal issue needs a sibling issue's detail."""
    issues = [
        {"key": "ceasefire.line", "label": "Ceasefire line", "category": "security",
         "kind": "categorical", "values": ["none", "contact", "named"],
         "detail": {"value": "named", "field": "line_name"}},
        {"key": "ceasefire.line_name", "label": "Named line", "category": "security",
         "kind": "text"},
    ]  # fmt: skip
    mine = Codebook.model_validate({"name": "mine", "extends": "default", "issues": issues})
    return default_codebook().extended_with(mine)


def test_a_level_needing_a_detail_is_the_codebooks_data_for_any_issue() -> None:
    codebook = _codebook_with_a_detail()

    def problems(
        issues: dict[str, object], alternatives: list[dict[str, Any]] | None = None
    ) -> list[str]:
        data = minimal_data(issues=issues)
        if alternatives:
            data["alternatives"] = alternatives
        try:
            Proposal.model_validate(data, context={"codebook": codebook})
        except ValidationError as error:
            return [e["msg"] for e in error.errors()]
        return []

    def stance(value: str) -> dict[str, object]:
        return {"value": value, "sources": ["S1"]}

    assert problems({"ceasefire.line": stance("named")}) == ["named needs line_name"]
    assert (
        problems({"ceasefire.line": stance("named"), "ceasefire.line_name": stance("the river")})
        == []
    )
    assert problems(
        {"ceasefire.line": stance("contact"), "ceasefire.line_name": stance("the river")}
    ) == ["line_name is given, so the value should be named"]
    package = {
        "sources": ["S1"],
        "issues": {"ceasefire.line": "named", "ceasefire.line_name": "the river"},
    }
    alternatives: list[dict[str, Any]] = [{"id": "one", "label": "a named line", **package},
                    {"id": "two", "label": "none", "sources": ["S1"], "issues": {"ceasefire.line": "none"}}]  # fmt: skip
    assert problems({}, alternatives) == []
    alternatives[1]["issues"] = {"ceasefire.line": "named"}
    assert problems({}, alternatives) == ["named needs line_name"]


def test_party_templates_under_issues_accept_party_ids_with_capitals() -> None:
    codebook = _default_plus("security.{party}.nukes", "{party}: nuclear weapons", "security")
    data = minimal_data()
    data["issues"] = {"security.S.nukes": {"value": False, "sources": ["S1"]}}
    proposal = Proposal.model_validate(data, context={"codebook": codebook})
    assert positions_of(proposal)["security.S.nukes"].label == "Southland: nuclear weapons"


def test_codebook_label_placeholders_must_be_in_the_key() -> None:
    from negpos.codebook import IssueDefinition

    with pytest.raises(ValidationError, match=r"\{party\}, which the key does not have"):
        IssueDefinition.model_validate(
            {
                "key": "territory.{region}.vote",
                "label": "{region} by {party}",
                "category": "territory",
                "kind": "boolean",
            }
        )
    literal = IssueDefinition.model_validate(
        {"key": "a.b", "label": "Budget {in USD}", "category": "c", "kind": "boolean"}
    )
    assert literal.label_for({}) == "Budget {in USD}"


def _default_plus(key: str, label: str, category: str) -> Codebook:
    """The default codebook with one yes/no issue added, as a user's codebook would."""
    extra = {"key": key, "label": label, "category": category, "kind": "boolean"}
    mine = Codebook.model_validate({"name": "mine", "extends": "default", "issues": [extra]})
    return default_codebook().extended_with(mine)
