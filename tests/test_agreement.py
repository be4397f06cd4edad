"""Agreement between coders: units, disagreements with evidence, and Krippendorff's α."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import krippendorff
import numpy as np
import pytest

import negpos
from negpos.codebook import Category, Codebook, IssueDefinition, IssueKind, default_codebook
from negpos.engine.rules import gap_between
from negpos.errors import ComparisonError
from negpos.model import Proposal
from negpos.positions import AtLeast, EveryoneBut, PositionValue, positions_of
from negpos.provenance.agreement import (
    Agreement,
    Alpha,
    agreement,
    alpha_of,
    set_distance,
)
from negpos.reports.agreement_report import AgreementReport, agreement_report

DATA = Path(__file__).resolve().parent / "data" / "agreement"
ALICE = DATA / "northland--alice.yaml"
BOB = DATA / "northland--bob.yaml"

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: 4 coders x
# 12 units, values 1-5, None where a coder gave none. Published: nominal 0.743, ordinal 0.815,
# interval 0.849.
RELIABILITY_DATA: list[list[int | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849}


def _units() -> list[list[int | None]]:
    return [[coder[unit] for coder in RELIABILITY_DATA] for unit in range(12)]


def _package(data: list[list[Any]], level: Literal["nominal", "ordinal", "interval"]) -> float:
    rows = [[np.nan if v is None else v for v in row] for row in data]
    return float(krippendorff.alpha(reliability_data=rows, level_of_measurement=level))


def _coding(
    coder: str,
    issues: dict[str, Any],
    *,
    document: str = "doc",
    codebook: Codebook | None = None,
    **extra: Any,
) -> Proposal:
    data: dict[str, Any] = {
        "id": f"{document}--{coder}",
        "document": document,
        "coder": coder,
        "title": "A document",
        "date": "2024-03-01",
        "status": "official",
        "authors": ["N"],
        "parties": [
            {"id": "N", "name": "Northland", "kind": "state"},
            {"id": "S", "name": "Southland", "kind": "state"},
        ],
        "regions": [{"id": "hills", "name": "The Hills"}],
        "sources": [{"id": "S1", "publisher": "Gazette", "title": "Offer text"}],
        "issues": {key: {"value": value, "sources": ["S1"]} for key, value in issues.items()},
        **extra,
    }
    return Proposal.model_validate(data, context={"codebook": codebook or default_codebook()})


def _alpha(result: Agreement, scope: str) -> Alpha:
    found = result.alpha(scope)
    assert found is not None, scope
    return found


@pytest.fixture(scope="module")
def pair() -> Agreement:
    return agreement([negpos.load(ALICE), negpos.load(BOB)])


# --------------------------------------------------------------------------- alpha itself


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_alpha_matches_krippendorffs_published_example(
    level: Literal["nominal", "ordinal", "interval"],
) -> None:
    result = alpha_of(_units(), level)
    assert result.value is not None
    assert round(result.value, 3) == PUBLISHED[level]
    assert result.value == pytest.approx(_package(RELIABILITY_DATA, level))
    assert (result.units, result.values) == (11, 40)  # unit 12 has one value: not pairable


def test_a_distance_function_gives_the_packages_nominal_and_interval_alpha() -> None:
    """The path the set metric takes (a distance function the package looks up), checked
    against the package's own metrics on the published data."""
    nominal = alpha_of(_units(), "custom", distance=lambda a, b: float(a != b))
    interval = alpha_of(_units(), "custom", distance=lambda a, b: float(a - b) ** 2)
    assert nominal.value == pytest.approx(_package(RELIABILITY_DATA, "nominal"))
    assert interval.value == pytest.approx(_package(RELIABILITY_DATA, "interval"))
    assert round(nominal.value or 0.0, 3) == 0.743
    assert round(interval.value or 0.0, 3) == 0.849


def test_alpha_by_hand() -> None:
    # Coincidences: o_aa 2, o_ab 1, o_ba 1, o_bb 4; n_a = 3, n_b = 5, n = 8.
    # Nominal alpha = 1 - (n - 1)(o_ab + o_ba) / (2 n_a n_b) = 1 - 7 * 2 / 30 = 8/15.
    assert alpha_of([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]).value == pytest.approx(8 / 15)


def test_set_alpha_by_hand() -> None:
    # x = {A}, y = {A, B}, z = {B}: d(x, y) = d(y, z) = 1/2, d(x, z) = 1.
    # Units (x, x), (y, x), (z, z): n_x = 3, n_y = 1, n_z = 2, n = 6.
    # D_o = (1/2 + 1/2) / 6 = 1/6; D_e = 2 (3*1*1/2 + 3*2*1 + 1*2*1/2) / (6 * 5) = 17/30;
    # alpha = 1 - D_o / D_e = 12/17.
    x, y, z = frozenset({"A"}), frozenset({"A", "B"}), frozenset({"B"})
    result = alpha_of([[x, x], [y, x], [z, z]], "set_distance", distance=set_distance)
    assert result.value == pytest.approx(12 / 17)


def test_undefined_alpha_is_none() -> None:
    no_variation = alpha_of([["a", "a"], ["a", "a"]])
    assert no_variation.value is None
    assert no_variation.text == "undefined (no variation in the values)"
    nothing_paired = alpha_of([["a", None], [None, "b"]])
    assert (nothing_paired.value, nothing_paired.units) == (None, 0)
    assert alpha_of([], "interval").value is None
    with pytest.raises(ValueError, match="unknown level"):
        alpha_of(_units(), "ratio-ish")


def test_set_distance_is_the_engines_set_gap() -> None:
    """'Everyone' is brought to one reading; gaps on one issue stay the engine's own."""
    definition = default_codebook().resolve("territory.hills.recognised_by")
    assert definition is not None
    issue = definition.definition
    assert issue.universal == "international"
    cases: list[tuple[PositionValue, PositionValue]] = [
        (frozenset({"US", "UK"}), frozenset({"US"})),
        (frozenset({"international"}), frozenset({"US"})),
        (AtLeast(frozenset({"US"})), frozenset({"US", "UK"})),
        (EveryoneBut(frozenset({"RU"})), frozenset({"RU", "US"})),
    ]
    for a, b in cases:
        expected = gap_between(issue, a, b)
        everyone = EveryoneBut(frozenset())
        a_read = everyone if a == frozenset({"international"}) else a
        assert set_distance(a_read, b) == pytest.approx(expected)
        assert set_distance(b, a_read) == pytest.approx(expected)
    assert set_distance(frozenset({"US"}), frozenset({"US"})) == 0.0


# --------------------------------------------------------------------------- through codings


def _reliability_codebook() -> Codebook:
    levels = tuple(f"l{i}" for i in range(1, 6))
    categories = tuple(f"c{i}" for i in range(1, 6))
    issues = []
    for unit in range(1, 13):
        issues += [
            IssueDefinition(
                key=f"scale.u{unit:02d}",
                label=f"Scale {unit}",
                category="test",
                kind=IssueKind.ORDINAL,
                values=levels,
            ),
            IssueDefinition(
                key=f"kind.u{unit:02d}",
                label=f"Kind {unit}",
                category="test",
                kind=IssueKind.CATEGORICAL,
                values=categories,
            ),
            IssueDefinition(
                key=f"figure.u{unit:02d}",
                label=f"Figure {unit}",
                category="test",
                kind=IssueKind.NUMBER,
                unit="points",
            ),
        ]
    return Codebook(
        name="reliability test",
        categories=(Category(id="test", label="Test"),),
        issues=tuple(issues),
    )


def test_published_example_through_codings() -> None:
    """Four coders code one document's 36 issues with Krippendorff's data (each unit three
    times: as an ordinal level, a category and a figure); a missing value is a silent coder."""
    codebook = _reliability_codebook()
    codings = []
    for index, row in enumerate(RELIABILITY_DATA):
        issues: dict[str, Any] = {}
        for unit, value in enumerate(row, start=1):
            if value is not None:
                issues[f"scale.u{unit:02d}"] = f"l{value}"
                issues[f"kind.u{unit:02d}"] = f"c{value}"
                issues[f"figure.u{unit:02d}"] = value
        codings.append(_coding(f"coder-{'ABCD'[index]}", issues, codebook=codebook))
    result = agreement(codings)
    assert result.coders == ("coder-A", "coder-B", "coder-C", "coder-D")
    assert len(result.units) == 36
    ordinal, categorical, number = (
        _alpha(result, "ordinal"),
        _alpha(result, "categorical"),
        _alpha(result, "number"),
    )
    assert (ordinal.level, categorical.level, number.level) == ("ordinal", "nominal", "interval")
    assert round(ordinal.value or 0.0, 3) == PUBLISHED["ordinal"]
    assert round(categorical.value or 0.0, 3) == PUBLISHED["nominal"]
    assert round(number.value or 0.0, 3) == PUBLISHED["interval"]
    assert (ordinal.units, ordinal.values) == (11, 40)
    # overall: nominal over all 36 units, each family's values its own categories
    pooled = [
        [
            *(None if v is None else f"l{v}" for v in row),
            *(None if v is None else f"c{v}" for v in row),
            *(None if v is None else f"{v} points, exact" for v in row),
        ]
        for row in RELIABILITY_DATA
    ]
    overall = _alpha(result, "overall")
    assert overall.value == pytest.approx(_package(pooled, "nominal"))
    # the silent coders: every unit someone left uncoded is a disagreement
    silent = {u.key for u in result.disagreements if any(s.silent for s in u.stances)}
    assert silent >= {"scale.u01", "scale.u10", "scale.u11", "scale.u12"}


def test_two_codings_list_exactly_their_disagreements(pair: Agreement) -> None:
    assert pair.documents == ("northland-offer",)
    assert pair.coders == ("alice", "bob")
    assert len(pair.units) == 13
    assert [u.key for u in pair.disagreements] == [
        "territory.hills.recognition",
        "security.S.guarantors",
        "political.elections_required",
        "assets.frozen_sovereign_assets",
    ]
    relations = {u.key: u.relation for u in pair.disagreements}
    assert relations["assets.frozen_sovereign_assets"] == "conflict (exclusive)"
    assert relations["security.S.guarantors"] == "partial (subset)"
    assert pair.share_agreed == pytest.approx(9 / 13)


def test_disagreements_carry_both_coders_evidence(pair: Agreement) -> None:
    recognition = next(u for u in pair.disagreements if u.key == "territory.hills.recognition")
    alice, bob = recognition.stances
    assert (alice.coder, alice.text, bob.coder, bob.text) == ("alice", "de jure", "bob", "de facto")
    assert [(e.source, e.locator) for e in alice.evidence] == [("S1", "point 2")]
    assert alice.evidence[0].quote == "The Hills are recognised as part of Northland."
    assert [(e.source, e.locator) for e in bob.evidence] == [("S2", "para 3")]
    assert "administration of the Hills" in (bob.evidence[0].quote or "")
    assets = next(u for u in pair.disagreements if u.key == "assets.frozen_sovereign_assets")
    assert [str(e) for e in assets.stances[1].evidence] == ["S1 (point 9)"]  # no quote given
    frame = pair.disagreement_frame()
    assert len(frame) == 8  # 4 disagreements, 2 coders each
    assert (
        frame.loc[0, "evidence"] == "S1 (point 2): “The Hills are recognised as part of Northland.”"
    )


def test_a_silent_issue_is_a_disagreement_but_missing_in_alpha(pair: Agreement) -> None:
    elections = next(u for u in pair.units if u.key == "political.elections_required")
    assert not elections.agreed
    assert elections.relation == "only alice addresses it"
    assert elections.stances[1].silent and elections.stances[1].text is None
    assert [str(e) for e in elections.stances[0].evidence] == [
        "S2: “Elections must follow within a hundred days.”"
    ]
    assert [u.key for u in pair.silences] == ["political.elections_required"]
    notes = AgreementReport(pair).table().notes
    assert "1 unit is left silent by some coder: disagreements α does not count" in " ".join(notes)
    boolean = _alpha(pair, "boolean")  # two units both say yes; the silent one is unpaired
    assert (boolean.value, boolean.units, boolean.values) == (None, 2, 4)


def test_alpha_per_kind_on_two_codings(pair: Agreement) -> None:
    assert [a.scope for a in pair.alphas] == [
        "overall",
        "categorical",
        "ordinal",
        "number",
        "set",
        "boolean",
        "text",
    ]
    # categorical: (N, N), (after_withdrawal twice), (reconstruction, compensation):
    # 1 - (n - 1) * 2 / (n^2 - sum n_c^2) = 1 - 5 * 2 / (36 - 10) = 8/13
    assert _alpha(pair, "categorical").value == pytest.approx(8 / 13)
    # sets: ({US, UK}, {US}) at 1/2, ({land, sea} twice): D_o = 1/4, D_e = 3/4
    assert _alpha(pair, "set").value == pytest.approx(2 / 3)
    assert _alpha(pair, "set").level == "set_distance"
    # ordinal: places on each scale, 0-1: de_jure 1, de_facto 1/2, barred 0, staged 2/3
    expected = _package([[1.0, 0.0, 2 / 3], [0.5, 0.0, 2 / 3]], "ordinal")
    assert _alpha(pair, "ordinal").value == pytest.approx(expected)
    for scope in ("number", "boolean", "text"):  # no variation: undefined
        assert _alpha(pair, scope).value is None
    alice = [
        *("N", "de_jure", "yes", "yes", "barred", "[UK, US]", "after_withdrawal"),
        *("[land, sea]", "words: a commission joint line monitors the", "staged", "yes"),
        *("100 days, exact", "reconstruction"),
    ]
    bob = [*alice[:5], "[US]", *alice[6:10], None, alice[11], "compensation"]
    bob[1] = "de_facto"
    assert _alpha(pair, "overall").value == pytest.approx(_package([alice, bob], "nominal"))


def test_identical_codings_agree_everywhere() -> None:
    alice = negpos.load(ALICE)
    data = negpos.files.to_data(alice)
    data.update(id="northland-offer--carol", coder="carol")
    carol = Proposal.model_validate(data)
    result = agreement([alice, carol])
    assert result.disagreements == ()
    assert result.share_agreed == 1.0
    assert all(a.value in (1.0, None) for a in result.alphas)
    assert _alpha(result, "overall").value == 1.0
    assert _alpha(result, "set").value == 1.0
    report = AgreementReport(result)
    assert report.table().rows == ()
    assert "no disagreement" in report.render("text")


def test_ordinal_levels_placed_alike_are_one_value() -> None:
    """Withdrawal places none and line_of_contact alike (positions 0, 0, 1, 2)."""
    territory = [{"region": "hills", "sources": ["S1"], "withdrawal": "none"}]
    other = [{"region": "hills", "sources": ["S1"], "withdrawal": "line_of_contact"}]
    issues = {"sanctions.lifting": "full"}
    a = _coding("a", issues, territory=territory)
    b = _coding("b", issues, territory=other)
    result = agreement([a, b])
    assert [u.key for u in result.disagreements] == ["territory.hills.withdrawal"]
    assert result.disagreements[0].relation == "partial (same level)"
    assert _alpha(result, "ordinal").value == 1.0  # same place: no ordinal disagreement
    overall = _alpha(result, "overall").value
    assert overall is not None and overall < 1.0  # different levels as stated


def test_unplaceable_levels_are_left_out_and_mixed_units_go_nominal() -> None:
    a = _coding(
        "a",
        {
            "sanctions.lifting": "unspecified",
            "political.language_status": "official",
            "political.elections_deadline": 90,
        },
        reparations={"sources": ["S1"], "amount": {"amount": 100, "unit": "USD"}},
    )
    b = _coding(
        "b",
        {
            "sanctions.lifting": "staged",
            "political.language_status": "official",
            "political.elections_deadline": 90,
        },
        reparations={"sources": ["S1"], "amount": {"amount": 100, "unit": "EUR"}},
    )
    result = agreement([a, b])
    ordinal = _alpha(result, "ordinal")
    assert (ordinal.left_out, ordinal.units) == (1, 1)
    number = _alpha(result, "number")
    assert number.level == "nominal"
    assert "different units (EUR, USD, days)" in number.note
    lifting = next(u for u in result.units if u.key == "sanctions.lifting")
    assert [s.value for s in lifting.stances] == ["unspecified", "staged"]
    assert lifting.relation == "unclear (unstated)"


def test_a_document_coded_once_is_left_out() -> None:
    lone = _coding("c", {"sanctions.lifting": "full"}, document="other")
    result = agreement([negpos.load(ALICE), lone, negpos.load(BOB)])
    assert result.documents == ("northland-offer",)
    assert result.unpaired == ("other--c",)
    assert "Left out, as no other coding of their document was given: other--c." in (
        AgreementReport(result).render("text")
    )


def test_no_pair_of_codings_is_an_error() -> None:
    with pytest.raises(ComparisonError, match="no document is coded twice") as caught:
        agreement([negpos.load(ALICE), _coding("c", {"sanctions.lifting": "full"})])
    assert "share `document:`" in str(caught.value)
    with pytest.raises(ComparisonError, match="no document is coded twice"):
        agreement([])


def test_the_same_coder_twice_is_an_error() -> None:
    a = _coding("a", {"sanctions.lifting": "full"})
    again = _coding("a", {"sanctions.lifting": "none"}, id="doc--a-again")
    with pytest.raises(ComparisonError, match=r"all by 'a'.*its own `coder:`"):
        agreement([a, again])


def test_codings_need_one_definition_of_each_shared_issue() -> None:
    def codebook(values: tuple[str, ...]) -> Codebook:
        extra = Codebook(
            name="extra",
            extends="default",
            issues=(
                IssueDefinition(
                    key="custom.level",
                    label="Level",
                    category="ceasefire",
                    kind=IssueKind.ORDINAL,
                    values=values,
                ),
            ),
        )
        return default_codebook().extended_with(extra)

    a = _coding("a", {"custom.level": "low"}, codebook=codebook(("low", "high")))
    b = _coding("b", {"custom.level": "low"}, codebook=codebook(("low", "mid", "high")))
    with pytest.raises(ComparisonError, match=r"codings of document 'doc'.*defined differently"):
        agreement([a, b])


def test_alternatives_count_with_their_first_stance() -> None:
    alternatives = [
        {
            "id": "option-1",
            "label": "Sanctions go",
            "sources": ["S1"],
            "issues": {"sanctions.lifting": "full"},
        },
        {
            "id": "option-2",
            "label": "Sanctions stay",
            "sources": ["S1"],
            "issues": {"sanctions.lifting": "none"},
        },
    ]
    a = _coding("a", {}, alternatives=alternatives)
    b = _coding("b", {"sanctions.lifting": "none"})
    (unit,) = agreement([a, b]).units
    assert unit.stances[0].position is positions_of(a).candidates("sanctions.lifting")[0]
    assert unit.stances[0].value == "full"
    assert not unit.agreed


# --------------------------------------------------------------------------- frames and report


def test_frames(pair: Agreement) -> None:
    frame = pair.to_frame()
    assert len(frame) == 26
    wide = frame.pivot(index=["document", "issue"], columns="coder", values="value")
    assert wide.loc[("northland-offer", "security.S.guarantors"), "bob"] == "[US]"
    alphas = pair.alpha_frame()
    assert alphas["scope"].tolist()[:2] == ["overall", "categorical"]
    assert alphas.set_index("scope")["alpha"].isna().to_dict()["text"]


def test_report_renders_every_format(pair: Agreement) -> None:
    report = AgreementReport(pair)
    for fmt in ("text", "markdown", "html", "json", "csv", "latex"):
        assert report.render(fmt)
    table = report.table()
    assert table.title == "Agreement between coders alice and bob on northland-offer"
    assert table.headers == ("Document", "Issue", "alice", "bob", "Relation", "Evidence")
    assert len(table.rows) == 4
    assert table.rows[2][2:5] == ("yes", "— (silent)", "only alice addresses it")
    assert table.rows[0][5] == "alice [1 (point 2)]; bob [2 (para 3)]"
    assert any(note.startswith("Krippendorff's α, set issues: 0.667") for note in table.notes)
    assert any("“Southland would accept" in quote for quote in table.quotes)
    html = report.render("html")
    assert "<details" in html and "administration of the Hills" in html


def test_report_json_is_deterministic_and_has_no_nan() -> None:
    first = agreement_report([negpos.load(ALICE), negpos.load(BOB)]).render("json")
    second = agreement_report([negpos.load(ALICE), negpos.load(BOB)]).render("json")
    assert first == second

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    data = json.loads(first, parse_constant=refuse)
    assert set(data) >= {"alphas", "units", "disagreements"}
    assert [d["issue"] for d in data["disagreements"]] == [
        "territory.hills.recognition",
        "security.S.guarantors",
        "political.elections_required",
        "assets.frozen_sovereign_assets",
    ]
    text = {a["scope"]: a["alpha"] for a in data["alphas"]}
    assert text["text"] is None and text["set"] == pytest.approx(2 / 3, abs=1e-6)
    bob = data["disagreements"][0]["stances"][1]
    assert bob["evidence"][0]["locator"] == "para 3"
