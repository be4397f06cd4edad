"""The JSON Schema of proposal files, shipped with the package for editors and validators.

``proposal.schema.json`` beside this module is the schema ``proposal_schema()`` builds from the
model (``negpos.model.Proposal``), written as ``proposal_schema_text()`` writes it; a test holds
the two equal, so the file never drifts from the model. After a change to the model, rewrite it
from the top of the repository with::

    python -m negpos schema -o negpos/schema/proposal.schema.json

``SCHEMA_FILE`` is the installed file's path, for an editor's settings (VS Code's YAML
extension: ``# yaml-language-server: $schema=<path>`` at the top of a proposal file).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_FILE", "proposal_schema", "proposal_schema_text"]

SCHEMA_FILE = Path(__file__).resolve().with_name("proposal.schema.json")
"""The schema as shipped in the package (draft 2020-12)."""

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def proposal_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a proposal file, from the model's fields, their
    titles and descriptions. Issue keys under ``issues`` are free (any codebook's keys); the
    codebook, not the schema, says which keys exist."""
    from negpos.model import Proposal

    schema = Proposal.model_json_schema()
    return {
        "$schema": _DIALECT,
        "title": "negpos proposal",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def proposal_schema_text() -> str:
    """``proposal_schema()`` as the text of ``SCHEMA_FILE`` and of ``negpos schema``: JSON
    indented by two spaces, characters as written, one final line break."""
    return json.dumps(proposal_schema(), indent=2, ensure_ascii=False) + "\n"
