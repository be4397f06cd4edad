"""Many proposals: the corpus, the vectorised matrix, the N-way grid and timelines."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negpos
from negpos.corpus import STANCE_COLUMNS, STANCE_SCHEMA, Corpus
from negpos.engine.diff import diff
from negpos.engine.grid import build_grid
from negpos.engine.matrix import gap_matrix
from negpos.engine.timeline import Change, timeline
from negpos.errors import ComparisonError, ProposalFileError
from negpos.model import Proposal
from negpos.positions import StanceColumn, positions_of, stance_frame
from tests.conftest import EXAMPLES, RUSSIA_2025, minimal_data
from tests.strategies import proposal_data


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.from_dir(EXAMPLES)


def test_corpus_is_in_date_order_and_filters(corpus: Corpus) -> None:
    assert corpus.ids == [
        "russia-2024-06-14",
        "us-2025-04-17",
        "ukraine-europe-2025-04-23",
        "russia-2025-05-16",
        "russia-2025-06-02",
        "us-2025-11-20",
    ]
    assert corpus.filter(party="RU").ids == [
        "russia-2024-06-14",
        "russia-2025-05-16",
        "russia-2025-06-02",
    ]
    assert corpus.filter(start="2025-05-01").ids == [
        "russia-2025-05-16",
        "russia-2025-06-02",
        "us-2025-11-20",
    ]
    assert corpus.filter(end=dt.date(2024, 12, 31)).ids == ["russia-2024-06-14"]
    assert corpus.filter(status="leaked").ids == ["us-2025-11-20"]
    with_plant = corpus.filter(issue="nuclear_plant").ids
    assert "us-2025-04-17" in with_plant and "russia-2025-06-02" not in with_plant
    assert corpus.filter(issue="reparations.waiver", party=["US", "RU"]).ids == [
        "us-2025-04-17",
        "russia-2025-05-16",
        "russia-2025-06-02",
        "us-2025-11-20",
    ]


def test_long_stance_frame(corpus: Corpus) -> None:
    frame = corpus.stances()
    assert list(frame.columns) == list(STANCE_COLUMNS)
    expected_rows = sum(len(corpus.positions(i).all_positions()) for i in corpus.ids)
    assert len(frame) == expected_rows
    assert not frame.duplicated(["proposal", "issue", "alternative"]).any()
    nato = frame[(frame["issue"] == "security.UA.membership.NATO")]
    assert set(zip(nato["value_form"], nato["value"], strict=True)) == {
        ("value", "barred"),
        ("not", "barred"),  # Ukraine and Europe: membership not excluded
    }
    options = frame[frame["issue"] == "ceasefire.sequencing"].dropna(subset=["alternative"])
    assert set(options["alternative"]) == {"option-1", "option-2"}
    assert (frame["sources"] != "").all()


_PANDAS_DTYPES = {"date": "datetime64[ns]", "float64": "float64", "bool": "bool"}


def _dtype_of(column: StanceColumn) -> str:
    return _PANDAS_DTYPES.get(column.dtype) or str(stance_frame([])["proposal"].dtype)


def test_one_long_form_for_position_sets_and_the_corpus(corpus: Corpus) -> None:
    frame = corpus.stances()
    records = corpus.stance_records()
    assert records == [r for p in corpus.position_sets() for r in p.to_records()]
    assert [list(r) for r in records] == [list(STANCE_COLUMNS)] * len(records)
    json.dumps(records)  # JSON-ready: dates as text, no NaN-only objects
    for proposal_id in corpus.ids:  # the corpus frame is the position sets' frames stacked
        own = positions_of(corpus[proposal_id]).to_frame()
        rows = frame[frame["proposal"] == proposal_id].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, own)
    for column in STANCE_SCHEMA:  # one dtype per column, whatever the rows hold
        for table in (
            frame,
            stance_frame([]),
            frame.head(0),
            positions_of(corpus["us-2025-11-20"]).to_frame(),
        ):
            assert str(table[column.name].dtype) == _dtype_of(column), column.name
        if not column.nullable:
            assert frame[column.name].notna().all(), column.name
    assert frame["date"].iloc[0] == pd.Timestamp("2024-06-14")
    assert records[0]["date"] == "2024-06-14"


def test_the_long_form_writes_each_kind_of_value_in_one_cell(corpus: Corpus) -> None:
    frame = corpus.stances()

    def row(proposal: str, issue: str) -> dict[str, Any]:
        found = frame[(frame["proposal"] == proposal) & (frame["issue"] == issue)]
        assert len(found) == 1
        return dict(found.iloc[0])

    cap = row("us-2025-11-20", "security.UA.force_cap_size")
    assert (cap["value"], cap["number"], cap["unit"], cap["bound"]) == (
        "600000",
        600000.0,
        "personnel",
        "max",
    )
    assert row("russia-2025-06-02", "security.UA.neutral")["value"] == "true"
    payee = row("us-2025-04-17", "reparations.payee")
    assert (payee["value_form"], payee["value"]) == ("value", "UA")
    unstated = row("russia-2025-06-02", "security.UA.force_cap_size")
    assert unstated["value_form"] == "unspecified"
    assert pd.isna(unstated["value"]) and pd.isna(unstated["number"])
    assert frame.loc[frame["number"].notna(), "kind"].eq("number").all()
    ids = row("us-2025-11-20", "territory.crimea.control")
    assert ids["source_ids"] == "S21;S22a;S22b" and ids["sources"].count("“") == 3
    assert ids["authors"] == "US" and "point 21" in ids["locators"]
    assert set(frame.loc[frame["authors"].str.contains(";"), "proposal"]) == {
        "ukraine-europe-2025-04-23"
    }


def test_a_set_of_items_in_the_long_form_is_sorted_and_joined() -> None:
    data = minimal_data()
    data["reparations"] = {
        "sources": ["S1"],
        "payer": ["S", "N"],
        "mechanism": [],
        "payee": {"including": ["S"]},
    }
    positions = positions_of(Proposal.model_validate(data))
    rows = {r["issue"]: r for r in positions.to_records()}
    assert (rows["reparations.payer"]["value_form"], rows["reparations.payer"]["value"]) == (
        "value",
        "N;S",
    )
    assert rows["reparations.mechanism"]["value"] == ""  # an empty set: no items
    assert (rows["reparations.payee"]["value_form"], rows["reparations.payee"]["value"]) == (
        "including",
        "S",
    )


def test_unknown_proposal_id_names_the_known_ones(corpus: Corpus) -> None:
    with pytest.raises(KeyError, match="russia-2025-06-02"):
        corpus["nope"]


def test_bad_files_in_a_directory_are_each_reported(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(RUSSIA_2025.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bad1.yaml").write_text("id: [\n", encoding="utf-8")
    (tmp_path / "bad2.yaml").write_text("- 1\n", encoding="utf-8")
    with pytest.raises(ProposalFileError) as info:
        Corpus.from_dir(tmp_path)
    assert {Path(p.file or "").name for p in info.value.problems} == {"bad1.yaml", "bad2.yaml"}
    skipped = Corpus.from_dir(tmp_path, skip_invalid=True)
    assert skipped.ids == ["russia-2025-06-02"] and len(skipped.skipped) == 2


def test_matrix_of_examples_equals_compare_exactly(corpus: Corpus) -> None:
    matrix = gap_matrix(corpus.position_sets())
    for a in corpus.ids:
        for b in corpus.ids:
            assert matrix.gap(a, b) == negpos.compare(corpus[a], corpus[b]).summary.overall_gap


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(proposal_data(), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_matrix_equals_compare_on_random_pairs(
    datas: list[dict[str, object]], rng: random.Random
) -> None:
    proposals = []
    for index, data in enumerate(datas):
        data["id"] = f"p{index}"
        proposals.append(Proposal.model_validate(data))
    sets = [positions_of(p) for p in proposals]
    matrix = gap_matrix(sets)
    for _ in range(20):
        i, j = rng.randrange(len(sets)), rng.randrange(len(sets))
        expected = diff(sets[i], sets[j]).summary.overall_gap
        got = matrix.gap(sets[i].proposal_id, sets[j].proposal_id)
        assert got == expected, (i, j, got, expected)
        assert matrix.shared[i, j] == diff(sets[i], sets[j]).summary.shared_issues


def test_category_matrix_only_counts_that_category(corpus: Corpus) -> None:
    matrix = gap_matrix(corpus.position_sets(), category="reparations")
    us, ru = "us-2025-04-17", "russia-2025-06-02"
    only_reparations = negpos.compare(corpus[ru], corpus[us]).select(categories=["reparations"])
    # the US rejects the mutual waiver ({not: mutual}): ruled out, the nearest level half a scale away
    assert matrix.gap(ru, us) == only_reparations.summary.overall_gap == 0.5
    assert corpus.ids[0] == "russia-2024-06-14"  # which says nothing on reparations:
    assert all(math.isnan(gap) for gap in matrix.gaps[0])
    assert matrix.shared[0].sum() == 0


def test_grid_relates_every_cell_to_the_baseline(corpus: Corpus) -> None:
    grid = build_grid(corpus.position_sets(), baseline="russia-2025-06-02")
    assert grid.cell("security.UA.membership.NATO", "us-2025-04-17").relation == "agree"
    assert grid.cell("security.UA.membership.NATO", "russia-2025-06-02").relation == "baseline"
    assert grid.cell("reparations.waiver", "us-2025-04-17").relation == "conflict"
    assert grid.cell("reparations.waiver", "russia-2024-06-14").relation == "only_a"
    assert grid.cell("nuclear_plant.operator", "russia-2024-06-14").relation == "silent"
    nato = next(c for c in grid.consensus if c.key == "security.UA.membership.NATO")
    assert (nato.addressed, nato.largest_agreement, nato.common_stance) == (5, 4, "barred")
    # pairs: 4 barred agree (6 pairs, gap 0); 4 pairs barred vs "not barred" (Ukraine and
    # Europe), each 1/3: the nearest level "not barred" leaves open is deferred
    assert nato.divisiveness == pytest.approx(4 * (1 / 3) / 10)
    ranked = grid.most_divisive(3)
    scores = [c.divisiveness or 0.0 for c in ranked]
    assert scores == sorted(scores, reverse=True)


def test_grid_rejects_an_unknown_baseline(corpus: Corpus) -> None:
    with pytest.raises(ComparisonError, match="baseline 'nope'"):
        build_grid(corpus.position_sets(), baseline="nope")


def test_russia_timeline_2024_to_2025(corpus: Corpus) -> None:
    line = timeline(corpus, party="RU", reference="UA")
    assert [p.proposal_id for p in line.track] == [
        "russia-2024-06-14",
        "russia-2025-05-16",
        "russia-2025-06-02",
    ]
    territory = [s for s in line.steps if s.category == "territory"]
    assert territory and all(
        s.change is Change.UNCHANGED or s.key.endswith(".control") for s in territory
    )
    # the report of the May talks does not mention control: silence, dropped and added back
    control = [s.change for s in territory if s.key == "territory.donetsk.control"]
    assert control == [Change.DROPPED, Change.ADDED]
    waiver = next(s for s in line.steps if s.key == "reparations.waiver")
    assert waiver.change is Change.ADDED
    assert waiver.new is not None and waiver.new.value == "mutual"
    assert [g.reference.proposal_id for g in line.gaps] == ["ukraine-europe-2025-04-23"] * 3


def test_direction_is_derived_from_the_scale(corpus: Corpus) -> None:
    # The US moved from April's freeze to the 28 points' withdrawal from Donetsk: toward
    # Russia's administrative border, a whole scale away from a freeze before.
    toward = timeline(corpus, party="US", reference="RU")
    step = next(s for s in toward.steps if s.key == "territory.donetsk.withdrawal")
    assert step.change is Change.CONCESSION
    assert (step.gap_before, step.gap_after) == (
        1.0,
        0.0,
    )  # "no withdrawal" and a freeze stand level
    # and from rejecting the mutual waiver to "no claims in the future": away from Ukraine and
    # Europe, who reject it too
    away = timeline(corpus, party="US", reference="UA")
    step = next(s for s in away.steps if s.key == "reparations.waiver")
    assert step.change is Change.HARDENING
    assert (step.gap_before, step.gap_after) == (0.0, 0.5)
    # Ukraine and Europe state no withdrawal line: no direction to measure, and it says so
    step = next(s for s in away.steps if s.key == "territory.donetsk.withdrawal")
    assert step.change is Change.SHIFTED and "no reference stance" in step.explanation


def test_lineage_follows_revises_links(corpus: Corpus) -> None:
    first = corpus["us-2025-04-17"]
    revised = first.model_copy(
        update={"id": "us-revised", "revises": first.id, "date": dt.date(2025, 5, 1)}
    )
    line = timeline(Corpus.of([*corpus, revised]), lineage="us-2025-04-17")
    assert [p.proposal_id for p in line.track] == ["us-2025-04-17", "us-revised"]
    assert all(step.change is Change.UNCHANGED for step in line.steps)


def test_timeline_needs_exactly_one_subject(corpus: Corpus) -> None:
    with pytest.raises(ComparisonError):
        timeline(corpus)
    with pytest.raises(ComparisonError, match="authored by 'XX'"):
        timeline(corpus, party="XX")


def test_unknown_lineage_and_self_reference_are_errors(corpus: Corpus) -> None:
    with pytest.raises(ComparisonError, match="no proposal 'nope'"):
        timeline(corpus, lineage="nope")
    with pytest.raises(ComparisonError, match="must differ"):
        timeline(corpus, party="RU", reference="RU")


def test_unknown_matrix_category_is_an_error(corpus: Corpus) -> None:
    with pytest.raises(ComparisonError, match="unknown category territori"):
        gap_matrix(corpus.position_sets(), category="territori")


def test_grid_agreement_counts_what_the_engine_calls_agree() -> None:
    texts = ["Joint commission", "joint commission", "Joint Commission."]
    proposals = []
    for index, text in enumerate(texts):
        data = proposal_data_fixed(f"t{index}", text)
        proposals.append(Proposal.model_validate(data))
    grid = build_grid([positions_of(p) for p in proposals])
    consensus = next(c for c in grid.consensus if c.key == "implementation.oversight")
    assert (consensus.addressed, consensus.largest_agreement) == (3, 3)
    assert consensus.divisiveness == 0.0


def proposal_data_fixed(proposal_id: str, oversight: str) -> dict[str, object]:
    from tests.conftest import minimal_data

    data = minimal_data(id=proposal_id)
    data["issues"] = {"implementation.oversight": {"value": oversight, "sources": ["S1"]}}
    return data


def test_matrix_survives_extreme_figures() -> None:
    from tests.conftest import minimal_data

    sets = []
    for index, amount in enumerate([1e308, -1e308, 0.0]):
        data = minimal_data(id=f"x{index}")
        data["issues"] = {"assets.reconstruction_amount": {"value": amount, "sources": ["S1"]}}
        sets.append(positions_of(Proposal.model_validate(data)))
    matrix = gap_matrix(sets)  # filterwarnings=error: an overflow warning would fail here
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            assert matrix.gaps[i, j] == diff(a, b).summary.overall_gap


class _CountedId(str):
    """An id that counts how often it is compared: a linear corpus looks ids up by hash."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        _CountedId.comparisons += 1
        return str.__eq__(self, other)

    __hash__ = str.__hash__


def test_a_large_corpus_is_linear_in_its_proposals(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 4000
    compiled: list[str] = []

    def compile_one(proposal: Proposal) -> Any:
        compiled.append(proposal.id)
        return positions_of(template)

    template = Proposal.model_validate(minimal_data())
    monkeypatch.setattr("negpos.corpus.positions_of", compile_one)
    start = dt.date(2000, 1, 1)
    proposals = [
        template.model_copy(update={"id": _CountedId(f"p{i:05d}"), "date": start + dt.timedelta(i)})
        for i in range(count)
    ]
    _CountedId.comparisons = 0
    corpus = Corpus.of(reversed(proposals))
    sets = corpus.position_sets()
    assert len(sets) == count and compiled == [p.id for p in proposals]  # each compiled once
    assert corpus.position_sets() == sets and len(compiled) == count  # and kept
    assert corpus[proposals[-1].id] is proposals[-1]
    assert corpus.positions(proposals[0].id) is sets[0]
    # building, compiling, and looking up: a few comparisons per proposal at most, where a
    # scan per proposal (and ids.count per id) made millions
    assert _CountedId.comparisons <= count
    with pytest.raises(ComparisonError, match=r"repeat in the corpus: \['p00000'\]"):
        Corpus.of([*proposals[:3], proposals[0]])
