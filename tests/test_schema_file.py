"""The JSON Schema shipped with the package: the model's own, and every example passes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from negpos.cli import main
from negpos.documents import parse_document
from negpos.schema import SCHEMA_FILE, proposal_schema, proposal_schema_text
from tests.conftest import ROOT, minimal_data

jsonschema = pytest.importorskip("jsonschema")

REGENERATE = "python -m negpos schema -o negpos/schema/proposal.schema.json"

# Every proposal file the repository ships (codebooks and profiles are other kinds of file).
PROPOSAL_FILES = sorted(
    [
        *ROOT.glob("examples/ukraine/*.yaml"),
        *ROOT.glob("examples/codings/*.yaml"),
        *ROOT.glob("examples/bargaining/wages/proposals/*.yaml"),
        *ROOT.glob("docs/examples/*.yaml"),
        *ROOT.glob("docs/examples/water/*.yaml"),
    ]
)


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(validator: Any, data: object) -> list[str]:
    return [
        f"{'.'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(data)
    ]


def test_the_shipped_schema_is_what_the_model_gives_now() -> None:
    assert SCHEMA_FILE.parent == ROOT / "negpos" / "schema"
    shipped = SCHEMA_FILE.read_text(encoding="utf-8")
    assert shipped == proposal_schema_text(), f"the model changed: run `{REGENERATE}`"


def test_negpos_schema_prints_the_shipped_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_the_schema_is_draft_2020_12_and_titled() -> None:
    schema = proposal_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "negpos proposal"
    assert schema["additionalProperties"] is False


def test_every_shipped_proposal_file_passes_the_schema(validator: Any) -> None:
    assert len(PROPOSAL_FILES) >= 12
    failures = {}
    for path in PROPOSAL_FILES:
        # Read as negpos and VS Code's YAML extension read it (YAML 1.2: a date stays text,
        # `NO` stays Norway), not as PyYAML's YAML 1.1 would.
        document = parse_document(path.read_text(encoding="utf-8"), name=str(path))
        if errors := _errors(validator, document.data):
            failures[str(path.relative_to(ROOT))] = errors
    assert failures == {}


def test_issue_keys_of_any_codebook_are_allowed(validator: Any) -> None:
    data = minimal_data(issues={"wages.raise": {"value": 4.5, "sources": ["S1"]}})
    assert _errors(validator, data) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"statuss": "official"}, ""),
        ({"status": "rumoured"}, "status"),
        ({"date": "4 March 2024"}, "date"),
        ({"authors": []}, "authors"),
        ({"sources": [{"id": "S1", "publisher": "P"}]}, "sources.0"),
    ],
)
def test_the_schema_catches_what_an_editor_should_underline(
    validator: Any, change: dict[str, Any], where: str
) -> None:
    errors = _errors(validator, minimal_data(**change))
    assert errors and all(error.startswith(f"{where}:") for error in errors), errors


def test_the_schema_file_is_package_data() -> None:
    # Shipped inside the package folder, which the wheel takes whole; not ignored by git.
    assert SCHEMA_FILE.is_file()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "*.json" not in ignored and "schema" not in ignored
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == proposal_schema()


def test_the_regenerate_command_writes_the_same_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "proposal.schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert target.read_bytes() == SCHEMA_FILE.read_bytes()
