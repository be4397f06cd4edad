"""Shared fixtures: the shipped Ukrainian examples and a tiny hand-made proposal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import negpos
from negpos.model import Proposal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "ukraine"
RUSSIA_2025 = EXAMPLES / "russia-2025-06-02.yaml"
US_2025_04 = EXAMPLES / "us-2025-04-17.yaml"


@pytest.fixture(scope="session")
def russia() -> Proposal:
    return negpos.load(RUSSIA_2025)


@pytest.fixture(scope="session")
def us_april() -> Proposal:
    return negpos.load(US_2025_04)


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*.yaml"))


def minimal_data(**changes: Any) -> dict[str, Any]:
    """A small valid proposal as plain data; keyword arguments replace top-level fields."""
    data: dict[str, Any] = {
        "id": "north-1",
        "title": "Northland's first offer",
        "label": "Northland",
        "date": "2024-03-01",
        "status": "official",
        "authors": ["N"],
        "addressees": ["S"],
        "parties": [
            {"id": "N", "name": "Northland", "kind": "state"},
            {"id": "S", "name": "Southland", "kind": "state"},
            {"id": "ALLY", "name": "The Alliance", "kind": "international_organisation"},
        ],
        "regions": [{"id": "hills", "name": "The Hills"}],
        "sources": [
            {
                "id": "S1",
                "publisher": "Gazette",
                "title": "Offer text",
                "url": "https://example.org/offer",
            }
        ],
        "territory": [
            {"region": "hills", "sources": ["S1"], "control": "N", "recognition": "de_facto"}
        ],
        "security": [
            {
                "party": "S",
                "sources": ["S1"],
                "memberships": {"ALLY": "barred"},
                "force_cap": "limited",
            }
        ],
        "issues": {"sanctions.lifting": {"value": "staged", "sources": ["S1"]}},
    }
    data.update(changes)
    return data
