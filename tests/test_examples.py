"""The shipped Ukrainian examples: the comparisons the project promises."""

from __future__ import annotations

from pathlib import Path

import pytest

import negpos
from negpos.engine import Relation
from negpos.model import Proposal
from tests.conftest import EXAMPLES


def test_headline_russia_june_2025_against_us_april_2025(
    russia: Proposal, us_april: Proposal
) -> None:
    comparison = negpos.compare(russia, us_april)
    relations = comparison.relations()
    assert relations["security.UA.membership.NATO"] is Relation.AGREE
    assert relations["reparations.waiver"] is Relation.CONFLICT
    assert relations["territory.zaporizhzhia.withdrawal"] is Relation.CONFLICT
    assert relations["territory.kherson.withdrawal"] is Relation.CONFLICT
    crimea = [item for item in comparison.issues if item.key.startswith("territory.crimea.")]
    assert crimea and all(item.relation is not Relation.CONFLICT for item in crimea)
    recognisers = comparison.issue("territory.crimea.recognised_by")
    assert recognisers.relation is Relation.PARTIAL
    assert "the international community" in recognisers.explanation
    assert "United States" in recognisers.explanation
    for item in comparison.issues:  # every row cites its evidence
        if item.a is not None:
            assert item.sources_a
        if item.b is not None:
            assert item.sources_b


def test_the_seed_pair_agrees_only_where_both_documents_say_the_same(
    russia: Proposal, us_april: Proposal
) -> None:
    comparison = negpos.compare(russia, us_april)
    agree = {item.key for item in comparison.issues if item.relation is Relation.AGREE}
    # Each is stated by both texts in the same terms: Crimea Russian and recognised de jure
    # (by the US in its plan), Luhansk under Russian control in both, no NATO membership, all
    # sanctions lifted.
    assert agree == {
        "territory.crimea.control",
        "territory.crimea.recognition",
        "territory.luhansk.control",
        "security.UA.membership.NATO",
        "sanctions.lifting",
    }
    # What earlier codings wrongly called agreement:
    relations = comparison.relations()
    for region in ("donetsk", "zaporizhzhia", "kherson"):
        # the whole region against the part Russia holds
        assert comparison.issue(f"territory.{region}.control").reason.value == "extent"
        # a freeze has no withdrawing party: only Russia's memorandum names one
        assert relations[f"territory.{region}.withdrawing_party"] is Relation.ONLY_A
    # levels the US text does not state are not judged
    for key in ("ceasefire.sequencing", "sanctions.relations_restored"):
        assert relations[key] is Relation.UNCLEAR
    # a "robust" guarantee is some guarantee: it rules out Russia's none
    assert comparison.issue("security.UA.guarantees").reason.value == "excluded"
    # the seed's terms stay visible though the US plan is silent on them
    for key in ("security.UA.neutral", "security.UA.foreign_troops", "security.UA.nuclear"):
        assert relations[key] is Relation.ONLY_A
    third_states = comparison.issue("security.UA.foreign_troops_of")
    assert third_states.a is not None
    assert third_states.a.text == "all foreign states except Russia"


def test_the_istanbul_demands_of_may_2025_are_sourced_to_the_seed_only() -> None:
    istanbul = negpos.load(EXAMPLES / "russia-2025-05-16.yaml")
    assert istanbul.form == "report" and [s.id for s in istanbul.sources] == ["seed"]
    seed = (EXAMPLES.parent.parent.parent / "shared" / "seed").glob("*.txt")
    text = " ".join(p.read_text(encoding="utf-8") for p in seed)
    quote = istanbul.sources[0].quote
    if text:  # the seed travels beside the repository (shared/); where it does, quote it exactly
        assert quote is not None and " ".join(quote.split()) in " ".join(text.split())
    memorandum = negpos.load(EXAMPLES / "russia-2025-06-02.yaml")
    assert "seed" not in {s.id for s in memorandum.sources}  # it predates the memorandum


def test_russia_territorial_demands_unchanged_from_2024_to_2025(russia: Proposal) -> None:
    putin_2024 = negpos.load(EXAMPLES / "russia-2024-06-14.yaml")
    comparison = negpos.compare(putin_2024, russia)
    territory = [i for i in comparison.issues if i.category == "territory" and i.a and i.b]
    assert territory
    assert all(item.relation is Relation.AGREE for item in territory)
    assert comparison.relations()["reparations.waiver"] is Relation.ONLY_B


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_agrees_with_itself_and_round_trips(path: Path, tmp_path: Path) -> None:
    proposal = negpos.load(path)
    assert all(
        item.relation is Relation.AGREE for item in negpos.compare(proposal, proposal).issues
    )
    for suffix in (".yaml", ".json"):
        again = negpos.load(negpos.dump(proposal, tmp_path / f"copy{suffix}"))
        assert again == proposal


def test_every_example_cites_only_real_sources(example_paths: list[Path]) -> None:
    for path in example_paths:
        proposal = negpos.load(path)
        for position in negpos.positions_of(proposal).values():
            assert position.sources, f"{path.name}: {position.key} has no source"


def test_swapping_examples_mirrors(russia: Proposal, us_april: Proposal) -> None:
    forward, backward = negpos.compare(russia, us_april), negpos.compare(us_april, russia)
    assert [(i.key, i.relation.mirrored(), i.gap) for i in forward.issues] == [
        (i.key, i.relation, i.gap) for i in backward.issues
    ]
