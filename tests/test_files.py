"""Loading files: every kind of bad input names the file, the line where known, and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

import negpos
from negpos.errors import Problem, ProposalFileError
from tests.conftest import RUSSIA_2025


def _problems(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ProposalFileError) as info:
        negpos.load(path)
    return info.value.problems


def _write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "id: x\ntitle: [unclosed\ndate: 2024-01-01\n")
    (problem,) = _problems(path)
    assert problem.file == str(path) and problem.line == 3
    assert "invalid YAML" in problem.message


def test_unknown_field_names_its_line(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "status: reported", "status: reported\nstatuss: x"
    )
    path = _write(tmp_path, text)
    (problem,) = _problems(path)
    assert problem.field == "statuss"
    assert problem.line == text.splitlines().index("statuss: x") + 1
    assert "unknown field" in problem.message


def test_invalid_date_is_a_field_error_with_line(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "date: 2025-06-02", "date: 2025-13-45", 1
    )
    path = _write(tmp_path, text)
    (problem,) = _problems(path)
    assert problem.field == "date"
    assert problem.line == text.splitlines().index("date: 2025-13-45") + 1
    assert "date" in problem.message


def test_empty_file(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "  \n"))
    assert problem.message == "the file is empty"


def test_list_instead_of_a_proposal(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "- id: x\n- id: y\n"))
    assert "expected a proposal" in problem.message and "got a list" in problem.message


def test_duplicate_key_is_an_error_not_last_wins(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, "id: a\ntitle: one\ntitle: two\n"))
    assert problem.line == 3 and problem.field == "title"
    assert "duplicate key (first written on line 2)" in problem.message


def test_reference_error_points_at_the_stance_line(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace("waiver: mutual", "waiver: sometimes")
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.field == "reparations.waiver.value"
    assert problem.line == text.splitlines().index("  waiver: sometimes") + 1
    assert "'sometimes' is not allowed" in problem.message


def test_norway_stays_a_string(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "  - {id: NATO,", "  - {id: NO, name: Norway, kind: state}\n  - {id: NATO,"
    )
    proposal = negpos.load(_write(tmp_path, text))
    assert proposal.party("NO") is not None


def test_json_errors_have_lines_too(tmp_path: Path) -> None:
    path = _write(tmp_path, '{\n  "id": "x",\n  "title": "t",\n  "bogus": 1\n}\n', name="p.json")
    problems = _problems(path)
    bogus = next(p for p in problems if p.field == "bogus")
    assert bogus.line == 4
    (syntax,) = _problems(_write(tmp_path, '{\n  "id": "x",\n}\n', name="bad.json"))
    assert syntax.line == 3 and "invalid JSON" in syntax.message


def test_missing_file(tmp_path: Path) -> None:
    (problem,) = _problems(tmp_path / "nope.yaml")
    assert problem.message == "no such file"


def test_load_dir_refuses_or_skips_bad_files_and_says_so(tmp_path: Path) -> None:
    _write(tmp_path, RUSSIA_2025.read_text(encoding="utf-8"), name="a.yaml")
    _write(tmp_path, "id: [broken\n", name="b.yaml")
    with pytest.raises(ProposalFileError) as info:
        negpos.load_dir(tmp_path)
    assert [Path(p.file or "").name for p in info.value.problems] == ["b.yaml"]
    loaded = negpos.load_dir(tmp_path, skip_invalid=True)
    assert [p.id for p in loaded.proposals] == ["russia-2025-06-02"]
    assert len(loaded.skipped) == 1


def test_load_dir_refuses_duplicate_proposal_ids(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        _write(tmp_path, RUSSIA_2025.read_text(encoding="utf-8"), name=name)
    with pytest.raises(ProposalFileError, match="also the id of"):
        negpos.load_dir(tmp_path)


def test_yaml_numbers_follow_yaml_1_2(tmp_path: Path) -> None:
    from negpos.documents import parse_document

    data = parse_document("a: 2e9\nb: 1:30\nc: 012\nd: 0x10\ne: no\nf: 1.5\n").data
    assert data == {"a": 2e9, "b": "1:30", "c": 12, "d": 16, "e": "no", "f": 1.5}


def test_json_duplicate_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    (problem,) = _problems(_write(tmp_path, '{\n  "id": "a",\n  "id": "b"\n}\n', name="d.json"))
    assert problem.line == 3 and "duplicate key" in problem.message


def test_codebook_extending_default_with_unknown_category(tmp_path: Path) -> None:
    from negpos.errors import CodebookError

    path = _write(
        tmp_path,
        "name: mine\nextends: default\nissues:\n  - {key: a.b, label: AB, category: nowhere, kind: boolean}\n",
        name="cb.yaml",
    )
    with pytest.raises(CodebookError, match="nowhere"):
        negpos.load_codebook(path)


def test_schema_validates_every_example(example_paths: list[Path]) -> None:
    import jsonschema

    from negpos.documents import read_document
    from negpos.model import Proposal

    schema = Proposal.model_json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for path in example_paths:
        assert list(validator.iter_errors(read_document(path).data)) == [], path.name
    assert list(validator.iter_errors({"id": "x"}))  # and it does refuse things
