"""Regions: the territories a proposal's territorial stances are about."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Region"]


class Region(BaseModel):
    """A region named in a proposal; keep its id the same across proposals to compare them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_]*$",
        description="Lower-case id used in issue keys, e.g. `crimea`.",
    )
    name: str = Field(min_length=1, description="Name shown in tables.")
    iso_3166_2: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
        description="ISO 3166-2 code, e.g. UA-43.",
    )
    aliases: tuple[str, ...] = Field(default=(), description="Other names it goes by.")
