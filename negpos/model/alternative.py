"""Alternative packages: "either the withdrawal begins, or these four measures"."""

from __future__ import annotations

from pydantic import Field
from pydantic.config import JsonDict

from negpos.model.frozen import FrozenDict
from negpos.model.stance import IssueStance, KeyedStance, StanceMeta

__all__ = ["Alternative"]


def _at_least_one_key(schema: JsonDict) -> None:
    """A mapping's "at least one" is minProperties in JSON Schema (pydantic writes minLength
    for a constraint on a custom mapping type)."""
    schema.pop("minLength", None)
    schema["minProperties"] = 1


class Alternative(StanceMeta):
    """One of several packages a proposal offers; the other side may take any one of them.

    Its stances are codebook issues, written as under a proposal's ``issues``; bare values take
    their sources and weights from the alternative, as a section's do.
    """

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", description="Short id, e.g. `option-1`."
    )
    label: str = Field(min_length=1, description="What the package is, in a few words.")
    issues: FrozenDict[str, IssueStance] = Field(
        min_length=1,
        description="The package's stances, by issue key.",
        json_schema_extra=_at_least_one_key,
    )

    def keyed_stances(self, loc: tuple[str | int, ...]) -> list[KeyedStance]:
        return [
            KeyedStance(key=key, stance=stance, section=self, loc=(*loc, "issues", key))
            for key, stance in self.issues.items()
        ]
