"""The provenance commands as a research project's CI runs them: check, archive add, agreement."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from negpos.cli import main
from tests.conftest import EXAMPLES, ROOT

ISTANBUL = EXAMPLES / "russia-2025-05-16.yaml"
CODER_B = ROOT / "examples" / "codings" / "russia-2025-05-16--coder-b.yaml"


def _copy_istanbul(folder: Path) -> Path:
    shutil.copytree(EXAMPLES / "archive", folder / "archive")
    target = folder / ISTANBUL.name
    target.write_text(ISTANBUL.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_the_shipped_examples_and_second_coding_pass_the_check(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(EXAMPLES), str(CODER_B.parent)]) == 0
    out = capsys.readouterr().out
    assert (
        "russia-2025-05-16: 23 stances, 23 with evidence, 23 quoted, 23 with a verified quote"
        in out
    )


def test_a_misquote_fails_the_check_with_file_line_source_and_closest_passage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = _copy_istanbul(tmp_path)
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(text.replace("to remain neutral", "to stay neutral"), encoding="utf-8")
    assert main(["check", str(proposal)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "to remain neutral" in line)
    assert line.startswith(f"{proposal}:") and "seed" in line and "score" in line
    assert main(["check", str(proposal), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["failed"] is True


@pytest.mark.parametrize(
    "archive", ["/etc/hostname", "../outside.txt", "archive/link.txt", "archive/loop.txt"]
)
def test_an_archive_outside_the_proposals_folder_is_never_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], archive: str
) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    proposal = _copy_istanbul(folder)
    secret = tmp_path / "outside.txt"
    secret.write_text("the secret word is swordfish", encoding="utf-8")
    (folder / "archive" / "link.txt").symlink_to(secret)
    (folder / "archive" / "loop.txt").symlink_to(folder / "archive" / "loop.txt")
    text = proposal.read_text(encoding="utf-8")
    proposal.write_text(
        text.replace(
            "    archive: archive/seed-2025-05-17-excerpt.txt", f"    archive: {archive}", 1
        ),
        encoding="utf-8",
    )
    assert main(["check", str(proposal)]) == 1
    captured = capsys.readouterr()
    assert "swordfish" not in captured.out and "Traceback" not in captured.err
    assert "not a path inside the proposal's folder" in captured.out


def test_archive_add_records_the_hash_and_check_reports_a_later_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proposal = _copy_istanbul(tmp_path)
    copy = tmp_path / "archive" / "seed-2025-05-17-excerpt.txt"
    assert main(["archive", "add", str(proposal), "seed", str(copy)]) == 0
    assert "sha256 4151b50a" in capsys.readouterr().out
    copy.write_text(copy.read_text(encoding="utf-8") + "\nEdited later.\n", encoding="utf-8")
    assert main(["check", str(proposal)]) == 1
    assert "changed since its hash was recorded" in capsys.readouterr().out
    assert main(["archive", "add", str(proposal), "nosuch", str(copy)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_agreement_of_the_two_codings_lists_each_disagreement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["agreement", str(ISTANBUL), str(CODER_B), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    overall = next(a for a in report["alphas"] if a["scope"] == "overall")
    assert (overall["alpha"], overall["units"]) == (1.0, 23)
    # Coder A leaves control of the regions unstated; coder B reads it from the recognition
    # demand: five disagreements, every one a silence, which alpha cannot see.
    keys = sorted(d["issue"] for d in report["disagreements"])
    assert keys == [
        f"territory.{r}.control"
        for r in ("crimea", "donetsk", "kherson", "luhansk", "zaporizhzhia")
    ]
    assert main(["agreement", str(ISTANBUL)]) == 1  # one coding: nothing to compare
    assert "document" in capsys.readouterr().err


def test_compare_can_leave_the_coders_inferences_out(capsys: pytest.CaptureFixture[str]) -> None:
    memorandum, plan = EXAMPLES / "russia-2025-06-02.yaml", EXAMPLES / "us-2025-04-17.yaml"
    assert main(["compare", str(memorandum), str(plan), "-f", "json"]) == 0
    kept = {r["issue"]: r for r in json.loads(capsys.readouterr().out)}
    assert main(["compare", str(memorandum), str(plan), "-f", "json", "--exclude-inferred"]) == 0
    left_out = {r["issue"]: r for r in json.loads(capsys.readouterr().out)}
    inferred = [k for k, r in kept.items() if (r["stance_a"] or {}).get("basis") == "inferred"]
    assert inferred
    for key in inferred:  # read as unstated: the row is one-sided, or gone where both inferred
        assert key not in left_out or left_out[key]["stance_a"] is None


def test_matrix_and_grid_say_when_inferences_are_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("matrix", "grid"):
        assert main([command, str(EXAMPLES), "--exclude-inferred"]) == 0
        assert "The coder's inferences are left out" in capsys.readouterr().out
        assert main([command, str(EXAMPLES)]) == 0
        assert "inferences are left out" not in capsys.readouterr().out
