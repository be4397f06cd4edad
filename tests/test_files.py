"""Loading files: every kind of bad input names the file, the line where known, and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import negpos
from negpos.errors import Problem, ProposalFileError
from tests.conftest import RUSSIA_2025
from tests.strategies import YAML_LOOKALIKES, proposals, texts


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: a\ntitle: &t [*t]\n", "anchors and aliases"),
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("id: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),  # libyaml: "nesting depth"
    ],
)
def test_aliases_and_deep_nesting_are_one_clear_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    problems = _problems(_write(tmp_path, text))
    assert len(problems) == 1 and message in problems[0].message


def test_deep_json_is_one_clear_problem(tmp_path: Path) -> None:
    (problem,) = _problems(
        _write(tmp_path, '{"id": ' + "[" * 100000 + "]" * 100000 + "}", "d.json")
    )
    assert "nested too deeply" in problem.message


def test_byte_order_mark_is_not_data(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8")
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeff".encode() + text.encode())
    assert negpos.load(path).id == "russia-2025-06-02"


def test_a_bad_stance_value_is_one_problem_not_one_per_type(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "  sanctions.lifting: {value: full, sources: [S1, S6]}",
        "  sanctions.lifting: {value: null, sources: [S1, S6]}",
    )
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.field == "issues.sanctions.lifting.value"
    assert problem.message.startswith("expected text, a finite number, true or false")


@pytest.mark.parametrize(
    ("date", "expected"), [("0", "expected a date"), ("20240304", "expected a date")]
)
def test_numbers_are_not_dates(tmp_path: Path, date: str, expected: str) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace("date: 2025-06-02", f"date: {date}", 1)
    (problem,) = _problems(_write(tmp_path, text))
    assert problem.field == "date" and expected in problem.message


def test_typed_yes_no_stances_take_only_true_or_false(tmp_path: Path) -> None:
    text = RUSSIA_2025.read_text(encoding="utf-8").replace(
        "    neutral: {value: true,", "    neutral: {value: no,"
    )
    (problem,) = _problems(_write(tmp_path, text))
    assert (
        problem.field == "security[0].neutral.value"
        and problem.message == "expected true, false or unspecified, got 'no'"
    )


def test_a_proposal_pickles(russia: negpos.Proposal) -> None:
    import pickle

    negpos.positions_of(russia)  # with its caches filled
    again = pickle.loads(pickle.dumps(russia))
    assert again == russia
    assert all(i.relation == "agree" for i in negpos.compare(russia, again).issues)


# ------------------------------------------------------------------ lossless round trips


@pytest.mark.parametrize("base", ["SafeDumper", "CSafeDumper"])
@pytest.mark.parametrize("text", YAML_LOOKALIKES)
def test_every_string_a_yaml_reader_would_misread_is_quoted(base: str, text: str) -> None:
    import yaml

    from negpos.documents import parse_document, quoting_dumper

    if not hasattr(yaml, base):
        pytest.skip(f"PyYAML without {base}")
    data = {"title": text, text or "key": [text, 2e9, 1e-05, True, None]}
    written = yaml.dump(data, Dumper=quoting_dumper(getattr(yaml, base)), sort_keys=False)
    assert parse_document(written).data == data


def test_a_title_that_reads_as_a_number_round_trips() -> None:
    from negpos.documents import parse_document

    proposal = negpos.load(RUSSIA_2025).replace(title="2e9", label="0o17", note="no")
    text = negpos.dumps(proposal)
    assert "title: '2e9'" in text and "label: '0o17'" in text and "note: 'no'" in text
    assert negpos.files.proposal_from_document(parse_document(text)) == proposal


@settings(max_examples=300, deadline=None)
@given(texts())
def test_any_text_round_trips_through_yaml(text: str) -> None:
    from negpos.documents import parse_document, yaml_text

    data = {"text": text, text or "key": [text]}
    assert parse_document(yaml_text(data)).data == data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(proposals())
def test_dump_then_load_gives_an_equal_proposal(proposal: negpos.Proposal) -> None:
    from negpos.documents import parse_document
    from negpos.files import proposal_from_document

    for fmt in ("yaml", "json"):
        text = negpos.dumps(proposal, fmt=fmt)
        again = proposal_from_document(parse_document(text, as_json=fmt == "json"))
        assert again == proposal, fmt
        assert negpos.dumps(again, fmt=fmt) == text
