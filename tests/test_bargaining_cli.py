"""`negpos bargain`: what a user types, what it prints, and how it refuses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from negpos.cli import main
from tests.conftest import EXAMPLES, ROOT

WAGES = ROOT / "examples" / "bargaining" / "wages"
BASE = [
    "bargain",
    str(WAGES / "profiles.yaml"),
    "--codebook",
    str(WAGES / "codebook.yaml"),
    "--proposals",
    str(WAGES / "proposals"),
]


def test_bargain_prints_zones_frontier_solutions_forecast_and_sensitivity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*BASE, "--against", "employer-2024-02-08", "--samples", "300"]) == 0
    out = capsys.readouterr().out
    for heading in (
        "preferences",
        "zones of possible agreement",
        "bargaining solutions",
        "Pareto frontier",
        "trades",
        "compromise forecast",
        "sensitivity",
    ):
        assert f"Wage agreement (textbook example): {heading}" in out
    assert "24 packages (4 × 3 × 2); 7 on the Pareto frontier." in out
    assert "product of gains over walk-away = 0.0962" in out
    assert "smallest share of the possible gain = 0.5968" in out
    assert "overlap: 4 percent" in out
    assert "Union gives on Pay rise (2 percent → 0 percent)" in out
    assert "300 draws, seed 0" in out
    assert out.count("Inferred (the analyst's judgement") == 7  # said on every table
    # nothing the profile file says is dropped: its description and the parties' notes
    assert "A fictional union and employer; every number is the textbook's assumption." in out
    assert "Cares most about pay; how much is uncertain." in out


def test_json_and_one_table_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["solutions"][0]["concept"] == "nash"
    assert any("Inferred" in note for note in data["notes"])
    assert main([*BASE, "-f", "csv", "--table", "frontier"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 7
    assert rows[0]["pay.raise"] == "6 percent"


def test_csv_without_one_table_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "-f", "csv"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "negpos: CSV holds one table: choose it with --table (profiles, zones, solutions, "
        "frontier, trades, forecast, sensitivity)"
    ]


def test_an_unknown_against_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--against", "nosuch"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "negpos: --against nosuch: not one of the proposals given"
    )


def test_party_and_issue_go_with_a_folder_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--party", "U"]) == 2
    assert "--party and --issue choose what to derive" in capsys.readouterr().err


def test_an_outcome_space_over_the_limit_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--max-outcomes", "10"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "24 packages (4 × 3 × 2), over the limit of 10" in err[0]


def test_bad_profiles_are_one_line_each_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "p.yaml"
    bad.write_text(
        "profiles: 1\ntitle: t\nscope: [{issue: time.leave}]\nparties:\n"
        "  - party: U\n    weights: {time.leave: 1}\n"
        "    utilities: {time.leave: {days_25: 0, days_31: 1}}\n"
        "  - party: E\n    reservation: 2\n    weights: {time.leave: 1}\n"
        "    utilities: {time.leave: {days_25: 1, days_28: 0.5, days_30: 0}}\n",
        encoding="utf-8",
    )
    assert main(["bargain", str(bad), "--codebook", str(WAGES / "codebook.yaml")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        f"{bad}:7: parties[0].utilities.time.leave.days_31: not an option of 'time.leave'; options: days_25, days_28, days_30"
        in err
    )
    assert f"{bad}:9: parties[1].reservation: expected a number from 0 to 1, got 2" in err
    assert all("Traceback" not in line for line in err)


def test_a_folder_derives_profiles_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["bargain", str(EXAMPLES), "--party", "RU", "--party", "UA"]
    args += ["--issue", "security.UA.force_cap", "--issue", "sanctions.lifting", "--samples", "50"]
    assert main([*args, "--table", "profiles", "--table", "sensitivity"]) == 0
    out = capsys.readouterr().out
    assert "derived from russia-2025-06-02" in out
    assert "Profiles derived from the proposals (not stated by the parties)" in out
    assert "4 estimate(s) given a range or an sd" in out  # the inferred weights


def test_figures_and_geniusweb_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    plane, bars, export = tmp_path / "plane.svg", tmp_path / "bars.png", tmp_path / "gw"
    args = [
        *BASE,
        "--figure",
        str(plane),
        "--forecast-figure",
        str(bars),
        "--geniusweb",
        str(export),
    ]
    assert main([*args, "-o", str(tmp_path / "out.md"), "-f", "markdown"]) == 0
    assert plane.read_text(encoding="utf-8").startswith("<?xml")
    assert bars.read_bytes().startswith(b"\x89PNG")
    names = sorted(p.name for p in export.iterdir())
    assert names == ["domain.json", "profile-E.json", "profile-U.json"]
    profile = json.loads((export / "profile-U.json").read_text(encoding="utf-8"))
    assert set(profile["LinearAdditiveUtilitySpace"]["issueWeights"]) == {
        "pay.raise",
        "time.leave",
        "time.remote_work",
    }


def test_geniusweb_into_an_input_folder_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BASE, "--geniusweb", str(WAGES / "proposals")]) == 2
    assert "would be read as proposals" in capsys.readouterr().err


def test_a_stakeholder_table_gives_the_forecast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "stakeholders.csv"
    table.write_text(
        "Issue,Actor,Capability,Position,Salience\n"
        "tax,A,100,0,80\ntax,B,50,100,90\ntax,C,40,60,50\n"
        "aid,A,1,10,1\naid,B,1,20,1\n",
        encoding="utf-8",
    )
    assert main(["bargain", str(table), "-f", "json"]) == 0
    rows = {r["issue"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["tax"]["median_low"] == 0.0
    assert rows["aid"]["median_low"] == 10.0 and rows["aid"]["median_high"] == 20.0
    assert rows["aid"]["mean"] == pytest.approx(15.0)


def test_the_report_page_gains_a_bargaining_section_with_its_caveats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    args = ["report", str(WAGES / "proposals"), "--codebook", str(WAGES / "codebook.yaml")]
    assert main([*args, "--profiles", str(WAGES / "profiles.yaml"), "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert '<a href="#bargaining">Where they could meet</a>' in html
    assert "Inferred (the analyst&#x27;s judgement, not stated by the party)" in html
    assert "product of gains over walk-away = 0.0962" in html
    without = tmp_path / "plain.html"
    assert main([*args, "-o", str(without)]) == 0
    assert "#bargaining" not in without.read_text(encoding="utf-8")
    assert main([*args, "--samples", "5", "-o", str(without)]) == 2
