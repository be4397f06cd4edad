"""The PA-X crosswalk (negpos/codebooks/crosswalks/pax.yaml), to_pax and from_pax."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import negpos
from negpos.codebook import IssueKind, default_codebook
from negpos.corpus import Corpus
from negpos.engine import Relation
from negpos.files import to_data
from negpos.interop import (
    CrosswalkError,
    PaxCrosswalk,
    PaxRowError,
    from_pax,
    load_pax_crosswalk,
    pax_agreement_id,
    to_pax,
)
from negpos.model import Basis, Proposal
from negpos.positions import positions_of
from tests.conftest import ROOT

SAMPLE = ROOT / "examples" / "pax" / "pax-sample-handmade.csv"
UKRAINE = ROOT / "examples" / "ukraine"


def _sample_frame() -> pd.DataFrame:
    """The hand-made sample as pandas reads it: its two comment lines skipped."""
    return pd.read_csv(SAMPLE, skiprows=2, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def crosswalk() -> PaxCrosswalk:
    return load_pax_crosswalk()


@pytest.fixture(scope="module")
def ukraine() -> pd.DataFrame:
    return to_pax(Corpus.from_dir(UKRAINE)).set_index("proposal")


@pytest.fixture(scope="module")
def sample() -> list[Proposal]:
    return from_pax(SAMPLE)


# ------------------------------------------------------------------ the crosswalk


def test_every_negpos_key_is_an_issue_and_every_value_valid(crosswalk: PaxCrosswalk) -> None:
    definitions = {d.key: d for d in default_codebook().issues}
    for variable in crosswalk.variables:
        assert variable.negpos, variable.pax
        for match in variable.negpos:
            definition = definitions[match.key]
            for value in match.values or ():
                if definition.kind == IssueKind.BOOLEAN:
                    assert isinstance(value, bool)
                else:
                    assert value in definition.values, (variable.pax, match.key, value)
        if variable.reads:
            assert variable.from_pax is not None
            assert variable.from_pax.key in definitions
            assert variable.from_pax.key in {m.key for m in variable.negpos}
            assert "{" not in variable.from_pax.key  # a PA-X row names no region or party
        else:
            assert variable.from_pax is None
    for entry in crosswalk.unmapped:
        assert set(entry.negpos) <= set(definitions)


def test_every_issue_of_the_default_codebook_is_mapped_or_said_to_be_unmapped(
    crosswalk: PaxCrosswalk,
) -> None:
    mapped = {m.key for v in crosswalk.variables for m in v.negpos}
    unmapped = {key for entry in crosswalk.unmapped for key in entry.negpos}
    assert not mapped & unmapped
    assert {d.key for d in default_codebook().issues} == mapped | unmapped


def test_the_crosswalk_says_where_the_pax_names_come_from(crosswalk: PaxCrosswalk) -> None:
    pax = crosswalk.pax
    assert pax.version == "10"
    assert pax.codebook_url.endswith("PA_X_codebook_v10.pdf")
    assert pax.agreement_address(152) == "https://www.peaceagreements.org/agreements/152/"
    names = [v.pax for v in crosswalk.variables]
    assert len(names) == len(set(names))
    assert {"Ce", "SsrFf", "SsrGua", "TjAm", "TjPrire", "TjRep", "StBor"} <= set(names)
    # TjSan is PA-X's relief of sanctions on people (part of amnesty), not sanctions on states
    assert "TjSan" not in names
    assert any("TjSan" in entry.pax for entry in crosswalk.unmapped)
    frame = crosswalk.to_frame()
    assert list(frame["pax"]) == names
    assert frame.loc[frame["pax"] == "Ce", "from_pax"].item() == (
        "ceasefire.sequencing: unspecified"
    )


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "crosswalk.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_crosswalk_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    good = (ROOT / "negpos" / "codebooks" / "crosswalks" / "pax.yaml").read_text(encoding="utf-8")
    bad = good.replace("key: ceasefire.scope\n", "key: ceasefire.scopes\n", 1).replace(
        "values: [family_reunification]", "values: [family_reunion]", 1
    )
    path = _write(tmp_path, bad)
    with pytest.raises(CrosswalkError) as raised:
        load_pax_crosswalk(path)
    problems = raised.value.problems
    lines = bad.splitlines()
    assert len(problems) == 2, [str(p) for p in problems]
    scope = next(p for p in problems if "ceasefire.scopes" in p.message)
    assert scope.file == str(path)
    assert scope.line is not None and "ceasefire.scopes" in lines[scope.line - 1]
    assert "did you mean ceasefire.scope" in scope.message
    reunion = next(p for p in problems if "family_reunion" in p.message)
    assert reunion.field == "variables[0].negpos[0].values[0]"
    assert reunion.line is not None and "family_reunion" in lines[reunion.line - 1]
    assert "expected one of" in reunion.message
    # a misspelt field is reported where it is written, as in a proposal file
    misspelt = good.replace("    lost_to_pax: >-\n", "    lost_to_pac: >-\n", 1)
    with pytest.raises(CrosswalkError) as raised:
        load_pax_crosswalk(_write(tmp_path, misspelt))
    fields = {p.field: p for p in raised.value.problems}
    assert fields["variables[0].lost_to_pac"].message.startswith("unknown field")
    assert "lost_to_pac" in misspelt.splitlines()[fields["variables[0].lost_to_pac"].line - 1]  # type: ignore[operator]
    assert fields["variables[0].lost_to_pax"].message == "required field is missing"


def test_direction_and_from_pax_must_agree(tmp_path: Path) -> None:
    good = (ROOT / "negpos" / "codebooks" / "crosswalks" / "pax.yaml").read_text(encoding="utf-8")
    bad = good.replace(
        "  - pax: SsrFf\n    label: Withdrawal of foreign forces\n    scale: binary\n"
        "    direction: to_pax\n",
        "  - pax: SsrFf\n    label: Withdrawal of foreign forces\n    scale: binary\n"
        "    direction: both\n"
        "    from_pax:\n      key: security.{party}.foreign_troops\n",
        1,
    ).replace("direction: from_pax", "direction: to_pax", 1)
    with pytest.raises(CrosswalkError) as raised:
        load_pax_crosswalk(_write(tmp_path, bad))
    messages = [str(p) for p in raised.value.problems]
    assert any("no region or party" in m and "from_pax.key" in m for m in messages), messages
    assert any("a to_pax variable is not read" in m for m in messages), messages


# ------------------------------------------------------------------ negpos -> PA-X


def test_to_pax_columns_follow_pax_conventions(
    ukraine: pd.DataFrame, crosswalk: PaxCrosswalk
) -> None:
    table = ukraine.reset_index()
    assert list(table.columns) == [
        "proposal",
        "AgtId",
        "Agt",
        "Dat",
        "UcdpCon",
        *(v.pax for v in crosswalk.variables),
    ]
    assert len(table) == 6
    assert table["Dat"].tolist() == sorted(table["Dat"])  # the corpus's date order
    assert table.loc[table["proposal"] == "us-2025-11-20", "Dat"].item() == "2025-11-20"
    assert all(str(table[v.pax].dtype) == "Int64" for v in crosswalk.variables)
    assert table["AgtId"].isna().all()  # none of them comes from PA-X


def test_to_pax_on_the_ukrainian_proposals(ukraine: pd.DataFrame) -> None:
    def value(proposal: str, column: str) -> int | None:
        found: Any = ukraine.at[proposal, column]
        return None if found is pd.NA else int(found)

    # SsrFf: "foreign_troops: barred" (russia-2025-05-16, russia-2025-06-02) and "limited"
    # (us-2025-11-20); "allowed" (ukraine-europe) is no removal; the US April plan is silent.
    assert value("russia-2025-05-16", "SsrFf") == 1
    assert value("russia-2025-06-02", "SsrFf") == 1
    assert value("us-2025-11-20", "SsrFf") == 1
    assert value("ukraine-europe-2025-04-23", "SsrFf") == 0
    assert value("us-2025-04-17", "SsrFf") == 0
    # StBor: de jure recognition (Russian terms; the US April plan for Crimea); the European
    # counter-proposal recognises nothing and the US November plan only de facto.
    assert value("russia-2025-06-02", "StBor") == 1
    assert value("us-2025-04-17", "StBor") == 1
    assert value("ukraine-europe-2025-04-23", "StBor") == 0
    assert value("us-2025-11-20", "StBor") == 0
    # SsrGua: collective defence (ukraine-europe, us-2025-11-20), "anything but none" (US
    # April); Russia's "no guarantees" provides none.
    assert value("ukraine-europe-2025-04-23", "SsrGua") == 1
    assert value("us-2025-04-17", "SsrGua") == 1
    assert value("russia-2025-06-02", "SsrGua") == 0
    # CeProv: a stance on the ceasefire, even one only in the alternatives (russia-2025-06-02)
    # or unspecified (us-2025-04-17); the 16 May demands do not address it.
    assert value("russia-2025-06-02", "CeProv") == 1
    assert value("us-2025-04-17", "CeProv") == 1
    assert value("russia-2025-05-16", "CeProv") == 0
    # TjAmPro: a full amnesty (us-2025-11-20) and an amnesty for political prisoners among
    # Russia's prisoner terms; TjRMa: reparations paid (ukraine-europe, US April) but not a
    # mutual waiver of claims (russia-2025-06-02).
    assert value("us-2025-11-20", "TjAmPro") == 1
    assert value("russia-2025-06-02", "TjAmPro") == 1
    assert value("ukraine-europe-2025-04-23", "TjAmPro") == 0
    assert value("ukraine-europe-2025-04-23", "TjRMa") == 1
    assert value("us-2025-04-17", "TjRMa") == 1
    assert value("russia-2025-06-02", "TjRMa") == 0
    # Levels negpos cannot know are <NA>; silence is 0.
    assert value("russia-2025-06-02", "Ele") is None
    assert value("ukraine-europe-2025-04-23", "TjPrire") is None
    assert value("russia-2024-06-14", "TjPrire") == 0
    # CeGen is only read from PA-X: <NA> where the ceasefire is addressed, 0 where it is not.
    assert value("russia-2024-06-14", "CeGen") is None
    assert value("russia-2025-05-16", "CeGen") == 0
    # DevInfra: an open list of mechanisms without reconstruction aid may still include it.
    assert value("ukraine-europe-2025-04-23", "DevInfra") is None
    assert value("us-2025-11-20", "DevInfra") == 1


def test_to_pax_can_leave_out_the_coders_inferences() -> None:
    proposal = negpos.load(UKRAINE / "russia-2024-06-14.yaml")
    # the force cap of the June 2024 terms is the coder's reading (basis: inferred)
    assert positions_of(proposal)["security.UA.force_cap"].basis == "inferred"
    assert pd.isna(to_pax(proposal)["SsrArm"].item())
    assert to_pax(proposal, exclude_inferred=True)["SsrArm"].item() == 0


def test_to_pax_writes_the_ucdp_conflict_id_when_the_model_has_one() -> None:
    if "ucdp_conflict_id" not in Proposal.model_fields:
        pytest.skip("Proposal has no ucdp_conflict_id yet; to_pax reads it with getattr")
    data = to_data(negpos.load(UKRAINE / "us-2025-11-20.yaml"))
    proposal = Proposal.model_validate({**data, "ucdp_conflict_id": 13306})
    assert to_pax(proposal)["UcdpCon"].item() == 13306
    (read,) = from_pax([{**_rows()[0], "UcdpCon": "13306"}])
    assert getattr(read, "ucdp_conflict_id", None) == 13306


def test_to_pax_refuses_what_is_not_a_proposal() -> None:
    with pytest.raises(TypeError, match="to_pax takes proposals"):
        to_pax(["examples/ukraine/us-2025-11-20.yaml"])  # type: ignore[list-item]


# ------------------------------------------------------------------ PA-X -> negpos


def test_from_pax_reads_the_handmade_sample(sample: list[Proposal]) -> None:
    assert [p.id for p in sample] == ["pax-900001", "pax-900002", "pax-900003", "pax-900004"]
    first = sample[0]
    assert first.title == "Vell Valley Ceasefire Agreement (fictional)"
    assert first.date.isoformat() == "2024-05-10"
    assert [p.status.value for p in sample] == ["agreed", "agreed", "agreed", "draft"]
    assert pax_agreement_id(first) == 900001
    (source,) = first.sources
    assert source.id == "pax-900001"
    assert source.publisher == load_pax_crosswalk().pax.publisher
    assert source.url == "https://www.peaceagreements.org/agreements/900001/"
    assert first.authors == ("signatories",)
    assert "Kingdom of Norway (mediator)" in (first.note or "")
    # Ce = 3 and CeProv = 1 become one stance on when the ceasefire starts; ImE = 1 one on
    # oversight; SsrFf and DdrDemil are not read (direction to_pax).
    stances = {keyed.key: keyed for keyed in first.keyed_stances()}
    assert set(stances) == {"ceasefire.sequencing", "implementation.oversight"}
    ceasefire = stances["ceasefire.sequencing"]
    assert ceasefire.stance.value == "unspecified"
    assert [e.locator for e in ceasefire.evidence] == ["Ce = 3", "CeProv = 1"]
    for proposal in sample:
        for keyed in proposal.keyed_stances():
            assert keyed.stance.value == "unspecified"
            assert keyed.basis is Basis.REPORTED
            assert keyed.sources == (proposal.sources[0].id,)
    second = {keyed.key: keyed for keyed in sample[1].keyed_stances()}
    assert set(second) == {
        "reparations.mechanism",
        "reparations.amnesty",
        "political.elections_required",
        "ceasefire.sequencing",
        "humanitarian.prisoners",
        "implementation.oversight",
    }
    assert [e.locator for e in second["reparations.amnesty"].evidence] == [
        "TjAm = 2",
        "TjAmPro = 1",
        "TjAmBan = 1",
    ]
    # Part's lines are kept apart in the note
    assert "Government of Northland; Government of Southland" in (sample[1].note or "")


def test_from_pax_takes_a_frame_or_mappings_as_well_as_a_file(sample: list[Proposal]) -> None:
    frame = _sample_frame()
    assert from_pax(frame) == sample
    assert from_pax(_rows()) == sample
    numbers = frame.copy()
    numbers["Ce"] = numbers["Ce"].astype(int)  # numbers as well as text
    assert from_pax(numbers) == sample


def test_round_trip_gives_back_the_columns_read(
    sample: list[Proposal], crosswalk: PaxCrosswalk
) -> None:
    written = to_pax(sample)
    rows = _sample_frame()
    assert written["AgtId"].tolist() == rows["AgtId"].astype(int).tolist()
    assert written["Agt"].tolist() == rows["Agt"].tolist()
    assert written["Dat"].tolist() == rows["Dat"].tolist()
    for variable in crosswalk.variables:
        if variable.reads:
            assert written[variable.pax].tolist() == rows[variable.pax].astype(int).tolist(), (
                variable.pax
            )
        else:  # not read from PA-X, so not known for a proposal read from PA-X
            assert written[variable.pax].isna().all(), variable.pax


def test_a_proposal_from_pax_compares_with_one_coded_in_negpos(sample: list[Proposal]) -> None:
    northland = negpos.load(ROOT / "docs" / "examples" / "northland-2024-03-04.yaml")
    comparison = negpos.compare(sample[1], northland)
    # both address the amnesty and the ceasefire; PA-X states no level, so they are not judged
    assert comparison.issue("reparations.amnesty").relation is Relation.UNCLEAR
    assert comparison.issue("ceasefire.sequencing").relation is Relation.UNCLEAR
    assert comparison.issue("humanitarian.prisoners").relation is Relation.ONLY_A
    assert comparison.issue("reparations.waiver").relation is Relation.ONLY_B
    ukrainian = negpos.load(UKRAINE / "us-2025-11-20.yaml")
    assert negpos.compare(ukrainian, sample[1]).summary is not None


# ------------------------------------------------------------------ errors


def _rows() -> list[dict[str, Any]]:
    """The sample as a list of mappings, column name to text."""
    return [{str(k): v for k, v in row.items()} for row in _sample_frame().to_dict("records")]


def test_missing_columns_are_named() -> None:
    frame = _sample_frame().drop(columns=["Dat", "Ce", "TjRep"])
    with pytest.raises(PaxRowError) as raised:
        from_pax(frame)
    messages = [p.message for p in raised.value.problems]
    assert any(m.startswith("missing column(s) Dat") for m in messages), messages
    assert any(m.startswith("missing provision column(s) Ce, TjRep") for m in messages)


def test_column_names_are_pax_names_case_and_all() -> None:
    frame = _sample_frame().rename(columns={"AgtId": "agtid"})
    with pytest.raises(PaxRowError) as raised:
        from_pax(frame)
    problems = raised.value.problems
    assert any(
        p.field == "agtid" and "PA-X writes this column AgtId" in p.message for p in problems
    )


def test_bad_values_are_reported_row_by_row() -> None:
    rows = _rows()
    rows[1]["Ce"] = "5"
    rows[2]["Dat"] = "20/06/2024"
    rows[3]["AgtId"] = "900001"  # repeats row 1
    rows[3]["Status"] = "Signed"
    rows[0]["UcdpCon"] = "230, 402"
    with pytest.raises(PaxRowError) as raised:
        from_pax(rows)
    shown = [str(p) for p in raised.value.problems]
    assert shown == [
        "<input>: row 1, UcdpCon: expected a UCDP conflict id (a whole number) or nothing; "
        "got '230, 402'",
        "<input>: row 2, Ce: expected PA-X's coding 0, 1, 2 or 3; got '5'",
        "<input>: row 3, Dat: expected a date YYYY-MM-DD, as PA-X writes Dat; got '20/06/2024'",
        "<input>: row 4, Status: expected one of PA-X's statuses: Multiparty signed/agreed; "
        "Unilateral document; Status unclear; Agreement with subsequent status; got 'Signed'",
        "<input>: row 4, AgtId: 900001 repeats (first in row 1): one row per agreement",
    ]


def test_a_csv_file_reports_lines(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # the fourth data row is on line 8: two comment lines, the header, a row of two lines
    assert lines[7].startswith("Northland/Southland,Territory,,Northland-Southland process")
    assert "900004" in lines[7]
    lines[7] = lines[7].replace(",0,1,0,1,1,0,", ",0,1,0,x,1,0,", 1)
    path = tmp_path / "bad.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PaxRowError) as raised:
        from_pax(path)
    (problem,) = raised.value.problems
    assert str(problem) == f"{path}:8: row 4, Ele: expected PA-X's coding 0, 1, 2 or 3; got 'x'"


def test_an_unreadable_file_is_one_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(PaxRowError, match="no such file"):
        from_pax(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(PaxRowError, match="no header row"):
        from_pax(empty)
    big = tmp_path / "big.csv"
    big.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PaxRowError, match="over the limit"):
        from_pax(big, max_bytes=100)


# ------------------------------------------------------------------ the package


def test_the_interop_package_exports_its_names() -> None:
    from negpos import interop

    assert interop.__all__ == sorted(interop.__all__)
    for name in interop.__all__:
        assert getattr(interop, name).__doc__, name


def test_importing_interop_loads_no_pandas() -> None:
    code = "import sys, negpos.interop; print('pandas' in sys.modules or 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
