"""Hostile and careless input: every file negpos refuses is refused as one clear problem line
(file, line where known, field, what was expected), never as a traceback, a hang or a forged
line (issue 8, the input side)."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

import negpos
from negpos.corpus import Corpus
from negpos.errors import Problem, ProposalFileError
from negpos.files import load_dir, to_data
from negpos.model import Proposal
from tests.conftest import ROOT, RUSSIA_2025, minimal_data

WATER_CODEBOOK = ROOT / "docs" / "examples" / "codebooks" / "water.yaml"
UPLAND = ROOT / "docs" / "examples" / "water" / "upland-2023-09-01.yaml"


def _problems(path: Path, **options: Any) -> tuple[Problem, ...]:
    with pytest.raises(ProposalFileError) as info:
        negpos.load(path, **options)
    return info.value.problems


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _json_with(tmp_path: Path, name: str, placeholder: str, raw: str) -> tuple[Path, str]:
    """A valid proposal as indented JSON, with ``"placeholder"`` replaced by ``raw``."""
    data = minimal_data()
    data["territory"][0]["salience"] = placeholder
    text = json.dumps(data, indent=2).replace(json.dumps(placeholder), raw)
    return _write(tmp_path, name, text), text


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _single_line(problem: Problem) -> str:
    text = str(problem)
    assert "\n" not in text and "\r" not in text, text
    return text


# ---------------------------------------------------------------- 1. very long integers


def test_a_json_integer_over_4300_digits_is_one_problem_with_line_and_field(
    tmp_path: Path,
) -> None:
    path, text = _json_with(tmp_path, "huge.json", "HUGE", "1" * 5000)
    (problem,) = _problems(path)
    assert problem.file == str(path)
    assert problem.line == _line_of(text, '"salience"')
    assert problem.field == "territory[0].salience"
    assert "5000 digits" in problem.message and "expected a number" in problem.message
    _single_line(problem)


def test_a_yaml_integer_over_4300_digits_is_one_problem_with_line_and_field(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, "huge.yaml", "id: x\ntitle: t\nsalience: " + "9" * 5000 + "\n")
    (problem,) = _problems(path)
    assert (problem.line, problem.field) == (3, "salience")
    assert "5000 digits" in problem.message


def test_skip_invalid_survives_a_huge_json_integer(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    _json_with(tmp_path, "huge.json", "HUGE", "1" * 5000)
    loaded = load_dir(tmp_path, skip_invalid=True)
    assert [p.id for p in loaded] == ["russia-2025-06-02"]
    assert [Path(p.file or "").name for p in loaded.skipped] == ["huge.json"]


# ---------------------------------------------------------------- 2. merge keys


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        ("id: x\n<<: {id: y}\ntitle: t\n", 2, None),
        ("id: x\nterritory:\n  - region: a\n    <<: {control: RU}\n", 4, "territory[0]"),
    ],
)
def test_yaml_merge_keys_are_refused_naming_their_line(
    tmp_path: Path, text: str, line: int, field: str | None
) -> None:
    (problem,) = _problems(_write(tmp_path, "merge.yaml", text))
    assert (problem.line, problem.field) == (line, field)
    assert "merge keys (<<) are not supported" in problem.message


# ---------------------------------------------------------------- 3. not UTF-8 text


def test_a_nul_byte_is_one_problem_naming_its_line(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "nul.yaml", b"id: x\ntitle: t\nnote: a\x00b\n"))
    assert problem.line == 3
    assert "NUL byte" in problem.message and "not UTF-8 text" in problem.message
    _single_line(problem)


@pytest.mark.parametrize("name", ["u16.yaml", "u16.json"])
def test_utf16_without_a_byte_order_mark_is_one_clear_problem(tmp_path: Path, name: str) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8")
    (problem,) = _problems(_write(tmp_path, name, text.encode("utf-16-le")))
    assert "not UTF-8 text" in problem.message and "UTF-16" in problem.message
    _single_line(problem)


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "latin.yaml", b"id: x\ntitle: caf\xe9\n"))
    assert problem.line == 2 and "not UTF-8 text" in problem.message
    _single_line(problem)


def test_a_control_character_in_yaml_is_one_line_with_its_line_number(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "ctl.yaml", "id: x\ntitle: a\x01b\n"))
    assert problem.line == 2 and "U+0001" in problem.message
    _single_line(problem)


# ---------------------------------------------------------------- 4. escaped problem text


def test_problem_text_escapes_control_and_bidi_characters() -> None:
    problem = Problem("a\nb.yaml", 3, "k\x1b[2J", "x\r\nforged: line\u202eevil\x85\x9b")
    text = _single_line(problem)
    for raw in ("\x1b", "\u202e", "\x85", "\x9b"):
        assert raw not in text
    assert text == "a\\nb.yaml:3: k\\x1b[2J: x\\r\\nforged: line\\u202eevil\\x85\\x9b"
    assert problem.field == "k\x1b[2J"  # the record itself keeps the data as written


def test_a_hostile_key_cannot_forge_a_line_or_a_terminal_escape(tmp_path: Path) -> None:
    text = 'id: x\n"bad\\nnegpos: ok\\e[31m": 1\n'
    path = _write(tmp_path, "evil\nname.yaml", text)
    with pytest.raises(ProposalFileError) as info:
        negpos.load(path)
    message = str(info.value)
    assert "\x1b" not in message
    assert all(line.startswith(str(path).replace("\n", "\\n")) for line in message.splitlines())
    unknown = next(p for p in info.value.problems if p.field and p.field.startswith("bad"))
    assert "bad\\nnegpos: ok\\x1b[31m" in str(unknown)


# ---------------------------------------------------------------- 5. strict scalars


def _refused(data: dict[str, Any], tmp_path: Path) -> Problem:
    path = _write(tmp_path, "p.json", json.dumps(data))
    (problem,) = _problems(path)
    return problem


@pytest.mark.parametrize("value", ["yes", "off", 1, "true", 0])
def test_red_lines_take_only_true_or_false(tmp_path: Path, value: object) -> None:
    data = minimal_data()
    data["territory"][0]["red_line"] = value
    problem = _refused(data, tmp_path)
    assert problem.field == "territory[0].red_line" and "expected true, false" in problem.message


@pytest.mark.parametrize("value", ["0.5", True, "1"])
def test_salience_is_a_number_not_text_or_a_boolean(tmp_path: Path, value: object) -> None:
    data = minimal_data()
    data["territory"][0]["salience"] = value
    problem = _refused(data, tmp_path)
    assert problem.field == "territory[0].salience"
    assert "expected a number from 0 to 1" in problem.message


@pytest.mark.parametrize(
    ("field", "value"),
    [("force_cap_size", "40000"), ("force_cap_size", {"amount": "40000"})],
)
def test_figures_are_numbers_not_text(tmp_path: Path, field: str, value: object) -> None:
    data = minimal_data()
    data["security"][0][field] = value
    problem = _refused(data, tmp_path)
    assert problem.field is not None and problem.field.startswith("security[0].force_cap_size")


@pytest.mark.parametrize(
    "value", ["2025-01-01T00:00:00", "2025-01-01 00:00", "1735689600", "2025-1-1", "2025-13-45"]
)
def test_dates_are_only_yyyy_mm_dd(tmp_path: Path, value: str) -> None:
    problem = _refused(minimal_data(date=value), tmp_path)
    assert problem.field == "date"
    assert "expected a date YYYY-MM-DD" in problem.message and repr(value) in problem.message


def test_yaml_scalars_are_strict_too(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "date: 2025-06-02", "date: 2025-06-02T00:00:00", 1
    )
    (problem,) = _problems(_write(tmp_path, "p.yaml", text))
    assert problem.field == "date" and "expected a date YYYY-MM-DD" in problem.message


def test_dates_still_load_as_dates() -> None:
    import datetime as dt

    proposal = Proposal.model_validate(minimal_data(date=dt.date(2024, 3, 1), coded="2024-03-02"))
    assert proposal.date == dt.date(2024, 3, 1) and proposal.coded == dt.date(2024, 3, 2)
    with pytest.raises(ValueError, match="expected a date YYYY-MM-DD"):
        Proposal.model_validate(minimal_data(date=dt.datetime(2024, 3, 1, 12)))


# ---------------------------------------------------------------- 6. '=' is text


def test_an_equals_sign_is_plain_text(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path = _write(tmp_path, "p.yaml", text.replace(title, "title: ="))
    assert negpos.load(path).title == "="


# ---------------------------------------------------------------- 7. size and kind of file


def test_a_file_over_the_limit_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import negpos.documents

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed a file over the limit")

    path = _write(tmp_path, "big.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    size = path.stat().st_size
    monkeypatch.setattr(negpos.documents, "parse_document", never)
    (problem,) = _problems(path, max_bytes=size - 1)
    assert (
        f"{size:,} bytes" in problem.message and f"limit of {size - 1:,} bytes" in problem.message
    )
    assert "NEGPOS_MAX_FILE_BYTES" in problem.message


def test_the_limit_is_10_mb_by_default_and_set_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from negpos.documents import MAX_FILE_BYTES, max_file_bytes

    assert MAX_FILE_BYTES == 10_000_000
    monkeypatch.delenv("NEGPOS_MAX_FILE_BYTES", raising=False)
    assert max_file_bytes() == MAX_FILE_BYTES
    path = _write(tmp_path, "p.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    monkeypatch.setenv("NEGPOS_MAX_FILE_BYTES", "100")
    (problem,) = _problems(path)
    assert "limit of 100 bytes" in problem.message
    assert negpos.load(path, max_bytes=10**6).id == "russia-2025-06-02"  # the argument wins
    monkeypatch.setenv("NEGPOS_MAX_FILE_BYTES", "lots")
    (problem,) = _problems(path)
    assert "NEGPOS_MAX_FILE_BYTES" in problem.message and "'lots'" in problem.message


def test_load_dir_takes_the_limit_too(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    _write(tmp_path, "big.yaml", "id: x\n" + "#" * 2000 + "\n")
    loaded = load_dir(tmp_path, skip_invalid=True, max_bytes=1500)
    assert [p.id for p in loaded] == []
    assert {Path(p.file or "").name for p in loaded.skipped} == {"good.yaml", "big.yaml"}


def test_reads_at_most_the_limit_plus_one_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that grows without end after it was measured is still cut at the limit."""
    path = _write(tmp_path, "p.yaml", "id: x\n")
    asked: list[int] = []

    def endless(fd: int, size: int) -> bytes:
        asked.append(size)
        return b"#" * size

    monkeypatch.setattr(os, "read", endless)
    (problem,) = _problems(path, max_bytes=20)
    assert "limit of 20 bytes" in problem.message
    assert 0 < sum(asked) <= 21


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    found: list[tuple[Problem, ...]] = []
    worker = threading.Thread(target=lambda: found.append(_problems(fifo)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked")
    ((problem,),) = found
    assert "not a regular file" in problem.message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused_however_it_is_named(tmp_path: Path) -> None:
    from negpos.documents import DocumentError, read_document

    (problem,) = _problems(Path("/dev/zero"))
    assert "not a proposal file" in problem.message
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    (problem,) = _problems(zero)
    assert "not a regular file" in problem.message
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document("/dev/zero")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    (problem,) = _problems(folder)
    assert "is a directory" in problem.message


def test_json_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import negpos.documents

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("JSON was parsed a second time, as YAML")

    monkeypatch.setattr(negpos.documents, "_parse_yaml", no_yaml)
    path, text = _json_with(tmp_path, "p.json", "BAD", '"high"')
    (problem,) = _problems(path)
    assert (problem.field, problem.line) == ("territory[0].salience", _line_of(text, "salience"))
    dup = _write(tmp_path, "dup.json", '{\n  "id": "a",\n  "x": {"k": 1,\n  "k": 2}\n}\n')
    (problem,) = _problems(dup)
    assert (problem.line, problem.field) == (4, "x.k")
    assert "duplicate key (first written on line 3)" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "id": "x",\n}\n', 3, "invalid JSON"),
        ('{"id": "x"} []', 1, "invalid JSON: Extra data"),
        ('{"id": "x\\q"}', 1, "invalid JSON"),
        ('{"id": tru}', 1, "invalid JSON: Expecting value"),
        ('{"id" "x"}', 1, "invalid JSON: Expecting ':' delimiter"),
        ('{"id": "x" "y"}', 1, "invalid JSON: Expecting ',' delimiter"),
        ("[1, 2", 1, "invalid JSON"),
        ('{"a": "unterminated', 1, "invalid JSON: Unterminated string"),
    ],
)
def test_invalid_json_is_one_problem_with_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    (problem,) = _problems(_write(tmp_path, "bad.json", text))
    assert problem.line == line and problem.message.startswith(message)


def test_json_reads_what_the_standard_library_reads() -> None:
    from negpos.documents import parse_document

    text = (
        '{"a": [1, -2.5e3, 0, true, false, null, "\\u00e9\\n\\"", {}, []],'
        ' "b": {"c": {"d": [[1], [2, {"e": 1E2}]]}}, "f": -0, "g": 1.0}'
    )
    document = parse_document(text, as_json=True)
    assert document.data == json.loads(text)
    assert document.lines[("b", "c", "d", 1, 1, "e")] == 1


# ---------------------------------------------------------------- 8. unreadable files, links


def _deny(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make ``path`` unreadable, for root too (root reads a chmod 000 file)."""
    path.chmod(0)
    real_open = os.open

    def guarded(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(os.fsdecode(file)).name == path.name:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    real_read_text = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.name == path.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)


def test_an_unreadable_file_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "good.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    secret = _write(tmp_path, "secret.yaml", "id: x\n")
    _deny(monkeypatch, secret)
    loaded = load_dir(tmp_path, skip_invalid=True)
    assert [p.id for p in loaded] == ["russia-2025-06-02"]
    (problem,) = loaded.skipped
    assert problem.file == str(secret) and "permission denied" in problem.message
    with pytest.raises(ProposalFileError, match="permission denied"):
        load_dir(tmp_path)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges")
def test_broken_and_looping_links_in_a_folder_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "gone.yaml")
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    loaded = load_dir(tmp_path, skip_invalid=True)
    assert [p.id for p in loaded] == ["russia-2025-06-02"]
    by_name = {Path(p.file or "").name: p.message for p in loaded.skipped}
    assert set(by_name) == {"broken.yaml", "loop1.yaml", "loop2.yaml"}
    assert "broken symbolic link" in by_name["broken.yaml"]
    assert "symbolic link loop" in by_name["loop1.yaml"]
    with pytest.raises(ProposalFileError, match="broken symbolic link"):
        load_dir(tmp_path)


def test_a_folder_that_cannot_be_listed_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(ProposalFileError) as info:
        load_dir(tmp_path, skip_invalid=True)
    (problem,) = info.value.problems
    assert problem.file == str(tmp_path) and "cannot list the folder" in problem.message


# ---------------------------------------------------------------- 9. one rule for suffixes


def test_other_files_in_a_folder_are_named_not_silently_skipped(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8")
    _write(tmp_path, "RUSSIA.YAML", text)
    _write(tmp_path, "notes.txt", text.replace("id: russia-2025-06-02", "id: notes"))
    _write(tmp_path, ".hidden-editor-state", "x")
    (tmp_path / "archive").mkdir()
    loaded = load_dir(tmp_path)
    assert [p.id for p in loaded] == ["russia-2025-06-02"]
    (note,) = loaded.ignored
    assert Path(note.file or "").name == "notes.txt"
    assert "not a proposal file" in note.message and ".yaml, .yml or .json" in note.message
    corpus = Corpus.from_dir(tmp_path)
    assert corpus.ignored == loaded.ignored
    assert corpus.filter(party="RU").ignored == loaded.ignored


def test_load_follows_the_same_suffix_rule_as_folders(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8")
    (problem,) = _problems(_write(tmp_path, "notes.txt", text))
    assert "not a proposal file" in problem.message and ".yaml, .yml or .json" in problem.message
    for name in ("UPPER.YAML", "mixed.Yml", "data.JSON"):
        content = json.dumps(to_data(negpos.load(RUSSIA_2025))) if "JSON" in name else text
        assert negpos.load(_write(tmp_path, name, content)).id == "russia-2025-06-02"


# ---------------------------------------------------------------- 10. first-day friction


def test_a_file_of_another_codebook_gets_one_hint(tmp_path: Path) -> None:
    problems = _problems(UPLAND)
    unknown = [p for p in problems if p.message.startswith("not an issue of")]
    assert len(unknown) == 5
    hints = [p for p in problems if "another codebook" in p.message]
    assert len(hints) == 1
    assert "--codebook" in hints[0].message and "codebook=" in hints[0].message
    assert hints[0].file == str(UPLAND)
    assert all(len(str(p)) < 200 for p in unknown)  # the known keys are listed once, in the hint
    assert negpos.load(UPLAND, codebook=negpos.load_codebook(WATER_CODEBOOK)).id


def test_a_codebook_in_a_proposals_folder_is_named_as_one(tmp_path: Path) -> None:
    _write(tmp_path, "good.yaml", RUSSIA_2025.read_text(encoding="utf-8"))
    _write(tmp_path, "water.yaml", WATER_CODEBOOK.read_text(encoding="utf-8"))
    loaded = load_dir(tmp_path, skip_invalid=True)
    (problem,) = loaded.skipped
    assert "looks like a codebook, not a proposal" in problem.message
    assert "--codebook" in problem.message
    assert "required" not in problem.message


# ---------------------------------------------------------------- 11. codebook key rule


def test_the_codebook_key_error_states_the_real_rule(tmp_path: Path) -> None:
    from negpos.errors import CodebookError

    text = WATER_CODEBOOK.read_text(encoding="utf-8").replace(
        "key: water.share", "key: Water-share"
    )
    with pytest.raises(CodebookError) as info:
        negpos.load_codebook(_write(tmp_path, "cb.yaml", text))
    (problem,) = info.value.problems
    assert problem.field == "issues[0].key"
    assert "dotted" in problem.message and "lower-case" in problem.message
    assert "no spaces or dots" not in problem.message


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("id", "north 1", "letters, digits, _ . and -"),  # a proposal id may have dots
        ("regions", [{"id": "The Hills", "name": "x"}], "lower-case letters, digits and _"),
    ],
)
def test_pattern_hints_follow_each_fields_rule(
    tmp_path: Path, field: str, value: object, hint: str
) -> None:
    problem = _refused(minimal_data(**{field: value}), tmp_path)
    assert hint in problem.message


# ---------------------------------------------------------------- 12. what was expected


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "tab.yaml", "id: x\nparties:\n\t- a\n"))
    assert problem.line == 3 and "tabs are not allowed for indentation" in problem.message


@pytest.mark.parametrize("status", [None, "published"])
def test_status_lists_the_allowed_values(tmp_path: Path, status: str | None) -> None:
    data = minimal_data(status=status)
    if status is None:
        del data["status"]
    problem = _refused(data, tmp_path)
    assert problem.field == "status"
    assert "official, reported, leaked, draft, agreed, signed" in problem.message


def test_every_enum_field_lists_its_values_when_missing(tmp_path: Path) -> None:
    data = minimal_data()
    data["territory"][0]["red_line"] = {"value": True}
    problem = _refused(data, tmp_path)
    assert problem.field == "territory[0].red_line.basis"
    assert "stated, reported, inferred" in problem.message


# ---------------------------------------------------------------- 13. a codebook as a path


def test_a_codebook_may_be_given_as_a_path_everywhere(tmp_path: Path) -> None:
    for codebook in (str(WATER_CODEBOOK), WATER_CODEBOOK):
        assert "Tessel" in negpos.load(UPLAND, codebook=codebook).codebook.name
        loaded = negpos.load_dir(UPLAND.parent, codebook=codebook)
        assert len(loaded.proposals) == 2
        assert len(Corpus.from_dir(UPLAND.parent, codebook=codebook)) == 2
    from negpos.documents import read_document

    data = read_document(UPLAND).data
    proposal = Proposal.model_validate(data, context={"codebook": str(WATER_CODEBOOK)})
    assert "water.share" in proposal.issues
