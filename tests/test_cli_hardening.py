"""The command line under hostile input and everyday mistakes (issue 8): outputs that would
replace an input, writes that fail half-way, empty folders and corpora of one, a closed or
broken standard output, usage errors, timelines with no reference, and file names that carry
terminal control characters."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import negpos
from negpos.cli import main
from negpos.reports.writing import write_atomically
from tests.conftest import EXAMPLES, ROOT, RUSSIA_2025, US_2025_04, minimal_data

OLD = "the previous report\n"


def _run(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    streams: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run(
        [sys.executable, "-m", "negpos", *args], text=True, check=False, **streams
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _write_proposal(path: Path, **changes: Any) -> Path:
    path.write_text(yaml.safe_dump(minimal_data(**changes), sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copyfile(RUSSIA_2025, a)
    shutil.copyfile(US_2025_04, b)
    return a, b


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for source in (RUSSIA_2025, US_2025_04):
        shutil.copyfile(source, folder / source.name)
    return folder


def _two_party_corpus(folder: Path) -> Path:
    """Northland's two offers (the second concedes the hills' recognition) and Southland's."""
    folder.mkdir()
    _write_proposal(folder / "north-1.yaml")
    second = minimal_data(id="north-2", label="Northland, later", date="2024-05-01")
    second["territory"][0]["recognition"] = "none"
    (folder / "north-2.yaml").write_text(yaml.safe_dump(second), encoding="utf-8")
    south = minimal_data(id="south-1", label="Southland", date="2024-04-01", authors=["S"])
    south["territory"][0].update(control="S", recognition="none")
    (folder / "south-1.yaml").write_text(yaml.safe_dump(south), encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- 1. output over input


def test_compare_refuses_to_write_over_either_input(pair: tuple[Path, Path]) -> None:
    a, b = pair
    before = a.read_bytes()
    for target in (a, b):
        result = _run("compare", str(a), str(b), "-o", str(target))
        assert result.returncode == 2
        line = _one_line(result)
        assert line.startswith("negpos: --output") and "--force" in line
    assert a.read_bytes() == before
    forced = _run("compare", str(a), str(b), "-o", str(a), "--force")
    assert forced.returncode == 0, forced.stderr
    assert a.read_text(encoding="utf-8").startswith("Russia, June 2025")


def test_an_input_reached_through_a_symlink_or_hardlink_is_refused(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = pair
    before = a.read_bytes()
    symlink, hardlink = tmp_path / "out.txt", tmp_path / "other-name.md"
    symlink.symlink_to(a)
    os.link(a, hardlink)
    for target in (symlink, hardlink, tmp_path / "sub" / ".." / "a.yaml"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = _run("compare", str(a), str(b), "-o", str(target))
        assert result.returncode == 2, target
        assert str(a) in _one_line(result) or str(target) in _one_line(result)
    assert a.read_bytes() == before


def test_show_agreement_and_a_codebook_are_inputs_too(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = pair
    codebook = tmp_path / "codebook.yaml"
    shutil.copyfile(ROOT / "negpos" / "codebooks" / "default.yaml", codebook)
    before = codebook.read_bytes()
    for args in (
        ["show", str(a), "-o", str(a)],
        ["agreement", str(a), str(b), "-o", str(b)],
        ["compare", str(a), str(b), "--codebook", str(codebook), "-o", str(codebook)],
    ):
        result = _run(*args)
        assert result.returncode == 2, args
        assert "refusing to write over it" in _one_line(result)
    assert codebook.read_bytes() == before


def test_report_never_writes_a_proposal_suffix(corpus_dir: Path, tmp_path: Path) -> None:
    for target in (corpus_dir / "x.yaml", tmp_path / "report.JSON", tmp_path / "r.Yml"):
        result = _run("report", str(corpus_dir), "-o", str(target))
        assert result.returncode == 2
        assert "a report is an HTML page" in _one_line(result)
        assert not target.exists()
    assert sorted(p.name for p in corpus_dir.iterdir()) == [RUSSIA_2025.name, US_2025_04.name]
    forced = tmp_path / "forced.json"
    assert _run("report", str(corpus_dir), "-o", str(forced), "--force").returncode == 0
    assert forced.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("command", ["matrix", "grid", "timeline"])
def test_folder_commands_keep_proposal_files_out_of_their_input_folders(
    command: str, corpus_dir: Path, tmp_path: Path
) -> None:
    extra = ["--party", "RU"] if command == "timeline" else []
    inside = corpus_dir / "table.json"
    result = _run(command, str(corpus_dir), *extra, "-f", "json", "-o", str(inside))
    assert result.returncode == 2
    assert "is in the input folder" in _one_line(result)
    assert not inside.exists()
    # Outside the folder, or not a proposal suffix, JSON output is what it always was.
    outside = tmp_path / "table.json"
    result = _run(command, str(corpus_dir), *extra, "-f", "json", "-o", str(outside))
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(outside.read_text(encoding="utf-8")), list)
    beside = corpus_dir / "table.md"
    assert _run(command, str(corpus_dir), *extra, "-o", str(beside)).returncode == 0


def test_a_link_out_of_the_corpus_folder_cannot_reach_into_it(
    corpus_dir: Path, tmp_path: Path
) -> None:
    """A link elsewhere that leads to a proposal of a folder named, or to a new proposal file
    in it, is refused: what counts is where the bytes would land."""
    proposal = corpus_dir / RUSSIA_2025.name
    before = proposal.read_bytes()
    to_existing, to_new = tmp_path / "table.md", tmp_path / "other.md"
    to_existing.symlink_to(proposal)
    to_new.symlink_to(corpus_dir / "new.yaml")
    for link in (to_existing, to_new):
        result = _run("grid", str(corpus_dir), "-o", str(link))
        assert result.returncode == 2, link
        assert "refusing" in _one_line(result)
    assert proposal.read_bytes() == before
    assert not (corpus_dir / "new.yaml").exists()


def test_figure_paths_are_checked_too(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    before = a.read_bytes()
    figure = tmp_path / "figure.svg"
    figure.symlink_to(a)
    result = _run("matrix", str(a), str(b), "--figure", str(figure))
    assert result.returncode == 2 and "--figure" in _one_line(result)
    assert a.read_bytes() == before
    same = tmp_path / "both.svg"
    result = _run("matrix", str(a), str(b), "-o", str(same), "--figure", str(same))
    assert result.returncode == 2 and "the same file" in _one_line(result)
    assert not same.exists()


# --------------------------------------------------------------------------- 2. atomic writes


def test_write_atomically_replaces_in_one_step_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    assert write_atomically(target, "first\n") == target
    target.chmod(0o640)
    write_atomically(target, b"second\r\n")
    assert target.read_bytes() == b"second\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_write_atomically_writes_through_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_atomically(link, "new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


@pytest.mark.parametrize(
    "failure",
    [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "ctrl-c"],
)
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "report.html"
    target.write_text(OLD, encoding="utf-8")

    def fail(descriptor: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(failure)) as raised:
        write_atomically(target, "x" * 100_000)
    if isinstance(failure, OSError):
        assert isinstance(raised.value, OSError)
        assert raised.value.filename == str(target) and raised.value.errno == errno.ENOSPC
    assert target.read_text(encoding="utf-8") == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_missing_folder_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "no" / "report.html"
    with pytest.raises(FileNotFoundError) as raised:
        write_atomically(target, "x")
    assert raised.value.filename == str(target)


@pytest.mark.parametrize(
    ("failure", "status"),
    [(OSError(errno.ENOSPC, "No space left on device"), 1), (KeyboardInterrupt(), 130)],
    ids=["disk-full", "ctrl-c"],
)
def test_cli_writes_that_fail_leave_the_previous_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: BaseException,
    status: int,
) -> None:
    table, page = tmp_path / "table.md", tmp_path / "report.html"
    for target in (table, page):
        target.write_text(OLD, encoding="utf-8")

    def fail(descriptor: int) -> None:
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    runs = (
        ["compare", str(RUSSIA_2025), str(US_2025_04), "-f", "markdown", "-o", str(table)],
        ["report", str(RUSSIA_2025), str(US_2025_04), "-o", str(page)],
    )
    for args, target in zip(runs, (table, page), strict=True):
        assert main(args) == status
        err = capsys.readouterr().err
        if status == 1:
            assert err.strip().splitlines()[-1] == f"negpos: {target}: No space left on device"
        assert target.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "table.md"]


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_figures_are_written_atomically_with_save_figures_bytes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    suffix: str,
) -> None:
    pytest.importorskip("matplotlib", reason="figures need the plot extra")
    from negpos.corpus import Corpus
    from negpos.reports import figures
    from negpos.reports.corpus_reports import matrix_report

    written, reference = tmp_path / f"m{suffix}", tmp_path / f"reference{suffix}"
    args = ["matrix", str(RUSSIA_2025), str(US_2025_04), "--figure", str(written)]
    assert main(args) == 0
    assert f"wrote {written}" in capsys.readouterr().err
    matrix = matrix_report(Corpus.of([negpos.load(RUSSIA_2025), negpos.load(US_2025_04)])).matrix
    figures.save_figure(figures.gap_heatmap(matrix), reference)
    assert written.read_bytes() == reference.read_bytes()  # the same bytes as save_figure's

    monkeypatch.setattr(os, "fsync", _disk_full)
    previous = written.read_bytes()
    assert main(args) == 1
    assert written.read_bytes() == previous
    assert f"negpos: {written}: No space left on device" in capsys.readouterr().err


def _disk_full(descriptor: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


# --------------------------------------------------------------------------- 3. empty and one


def _empty_runs(folder: Path, out: Path) -> list[list[str]]:
    return [
        ["matrix", str(folder)],
        ["grid", str(folder), "-f", "csv"],
        ["timeline", str(folder), "--party", "N"],
        ["report", str(folder), "-o", str(out)],
        ["check", str(folder)],
    ]


def test_every_folder_command_on_an_empty_folder_says_so_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a proposal\n", encoding="utf-8")
    for args in _empty_runs(empty, tmp_path / "r.html"):
        result = _run(*args)
        assert result.returncode == 1, args
        assert _one_line(result) == (
            f"{empty}: no proposal files found (.yaml, .yml, .json); other files: notes.txt"
        )
    assert not (tmp_path / "r.html").exists()


def test_other_files_in_a_corpus_folder_get_a_note(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write_proposal(folder / "north-1.yaml")
    (folder / "notes.txt").write_text("not a proposal\n", encoding="utf-8")
    result = _run("matrix", str(folder))
    assert result.returncode == 0
    assert _one_line(result).startswith(f"negpos: note: {folder / 'notes.txt'}: not a proposal")


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "{d}", str(RUSSIA_2025)],
        ["show", "{d}"],
        ["validate", "{d}"],
        ["agreement", "{d}", str(RUSSIA_2025)],
        ["archive", "add", "{d}", "S1", "{d}"],
    ],
    ids=lambda a: a[0],
)
def test_file_commands_given_a_folder_say_so_in_one_line(tmp_path: Path, args: list[str]) -> None:
    result = _run(*[a.format(d=tmp_path) for a in args])
    assert result.returncode == 1
    assert str(tmp_path) in _one_line(result)


def test_all_files_invalid_is_one_line_per_file_and_a_last_line(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "one.yaml").write_text("id: [\n", encoding="utf-8")
    result = _run("grid", str(folder), "-f", "csv", "--skip-invalid")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("no valid proposals to work on")


def test_every_command_on_a_corpus_of_one(tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    proposal = _write_proposal(folder / "north-1.yaml")
    archive = folder / "copy.txt"
    archive.write_text("The offer text.\n", encoding="utf-8")
    runs: list[tuple[list[str], int]] = [
        (["compare", str(proposal), str(proposal)], 0),
        (["show", str(proposal)], 0),
        (["validate", str(proposal)], 0),
        (["matrix", str(folder)], 0),
        (["grid", str(folder), "-f", "csv"], 0),
        (["timeline", str(folder), "--party", "N"], 0),
        (["report", str(folder), "-o", str(tmp_path / "r.html")], 0),
        (["check", str(folder)], 0),
        (["agreement", str(proposal)], 1),
        (["archive", "add", str(proposal), "S1", str(archive)], 0),
        (["schema", "-o", str(tmp_path / "schema.json")], 0),
    ]
    for args, status in runs:
        result = _run(*args)
        assert result.returncode == status, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
        if status:
            _one_line(result)
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "nothing to compare" in page
    assert "wrote" in _run("report", str(folder), "-o", str(tmp_path / "r.html")).stderr
    assert "(1 proposal)" in _run("report", str(folder), "-o", str(tmp_path / "r.html")).stderr


# --------------------------------------------------------------------------- 4. standard output


def test_closed_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    for args in (
        ["compare", str(RUSSIA_2025), str(US_2025_04)],
        ["validate", str(RUSSIA_2025)],
        ["schema"],
    ):
        command = " ".join(f"'{a}'" for a in [sys.executable, "-m", "negpos", *args]) + " >&-"
        result = subprocess.run(
            ["bash", "-c", command], capture_output=True, text=True, check=False
        )
        assert result.returncode == 1, args
        assert _one_line(result) == (
            "negpos: standard output is closed; give --output FILE or redirect it"
        )
    # With --output, standard output is not needed.
    target = tmp_path / "out.txt"
    command = (
        f"'{sys.executable}' -m negpos compare '{RUSSIA_2025}' '{US_2025_04}' -o '{target}' >&-"
    )
    assert subprocess.run(["bash", "-c", command], check=False).returncode == 0
    assert target.exists()


def test_a_broken_pipe_ends_quietly_with_141() -> None:
    for args in (["compare", str(RUSSIA_2025), str(US_2025_04)], ["schema"]):
        process = subprocess.Popen(
            [sys.executable, "-m", "negpos", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before the first byte is written
        error = process.stderr.read()
        process.stderr.close()
        assert process.wait() == 141, error
        assert error == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_stdout_is_one_line() -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = _run("compare", str(RUSSIA_2025), str(US_2025_04), stdout=full)
    assert result.returncode == 1
    assert _one_line(result) == "negpos: standard output: No space left on device"


# --------------------------------------------------------------------------- 5. usage errors


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["compare", str(RUSSIA_2025), str(US_2025_04), "--category", "nosuch"], "territory"),
        (["matrix", str(EXAMPLES), "--category", "nosuch"], "territory"),
        (["grid", str(EXAMPLES), "--baseline", "nosuch"], "russia-2025-06-02"),
        (["timeline", str(EXAMPLES), "--party", "XX"], "RU"),
        (["timeline", str(EXAMPLES), "--party", "RU", "--reference", "XX"], "UA"),
        (["timeline", str(EXAMPLES), "--party", "RU", "--reference", "RU"], "party itself"),
        (["timeline", str(EXAMPLES), "--lineage", "nosuch"], "us-2025-04-17"),
        (["report", str(EXAMPLES), "-o", "/tmp/unused.html", "--timeline", "XX"], "RU"),
        (["report", str(EXAMPLES), "-o", "/tmp/unused.html", "--baseline", "no"], "russia"),
    ],
    ids=lambda v: " ".join(a for a in v if "/" not in a) if isinstance(v, list) else None,
)
def test_values_the_files_do_not_have_are_usage_errors(args: list[str], expected: str) -> None:
    result = _run(*args)
    assert result.returncode == 2
    line = _one_line(result)
    assert line.startswith("negpos: --") and expected in line


def test_a_known_category_with_no_rows_is_an_empty_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["compare", str(RUSSIA_2025), str(US_2025_04), "--category", "assets", "-f", "json"]
    assert main(args) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


# --------------------------------------------------------------------------- 6. timeline reference


def test_a_two_party_timeline_is_measured_against_the_other_party(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _two_party_corpus(tmp_path / "two")
    assert main(["timeline", str(folder), "--party", "N", "-f", "json"]) == 0
    captured = capsys.readouterr()
    assert "measuring against S (Southland), the only other party" in captured.err
    steps = json.loads(captured.out)
    assert {s["reference"] for s in steps} == {"south-1"}
    recognition = next(s for s in steps if s["issue"] == "territory.hills.recognition")
    assert recognition["change"] == "concession"
    assert recognition["gap_to_reference_after"] == 0
    assert main(["timeline", str(folder), "--party", "N", "--changes-only"]) == 0
    text = capsys.readouterr().out
    assert "Measured against Southland (S), the only other party in these proposals" in text
    assert "concession" in text and "unchanged" not in text.split("Change:")[0]


def test_with_more_parties_the_timeline_stays_unmeasured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["timeline", str(EXAMPLES), "--party", "RU", "-f", "json"]) == 0
    captured = capsys.readouterr()
    assert {s["reference"] for s in json.loads(captured.out)} == {None}
    assert "measuring against" not in captured.err


# --------------------------------------------------------------------------- 8. escaped lines


def test_file_names_with_control_characters_are_escaped_on_stderr(tmp_path: Path) -> None:
    hostile = tmp_path / "out\x1b[2J\nnegpos: forged line.txt"
    result = _run("compare", str(RUSSIA_2025), str(US_2025_04), "-o", str(hostile))
    assert result.returncode == 0, result.stderr
    line = _one_line(result)
    assert "\x1b" not in line and "\\x1b[2J\\nnegpos: forged line.txt" in line
    assert hostile.exists()
    proposal = _write_proposal(tmp_path / "bad\u202ename\x07.yaml")
    result = _run("validate", str(proposal))
    assert result.returncode == 0
    assert "\\u202e" in result.stdout and "\\x07" in result.stdout
    assert "\u202e" not in result.stdout


def test_skipped_files_with_hostile_names_stay_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write_proposal(folder / "good.yaml")
    (folder / "bad\nnegpos: forged.yaml").write_text("id: [\n", encoding="utf-8")
    result = _run("matrix", str(folder), "--skip-invalid")
    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "negpos: skipped 1 invalid file:"
    assert len(lines) == 2 and "negpos: forged.yaml" in lines[1]


def test_argparse_errors_are_escaped_too() -> None:
    result = _run("compare", str(RUSSIA_2025), str(US_2025_04), "\x1b[31mred\nforged")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == "negpos: error: unrecognized arguments: \\x1b[31mred\\nforged"
