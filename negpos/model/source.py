"""Sources: where a stance was reported, so every table cell can be traced to evidence."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from negpos.values import IsoDate

__all__ = ["Source"]


class Source(BaseModel):
    """A publication that reports one or more stances of a proposal."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]*$", description="Id the proposal's stances cite."
    )
    publisher: str = Field(min_length=1, description="Who published it.")
    title: str = Field(min_length=1, description="Title of the article or document.")
    date: IsoDate | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    url: str | None = Field(
        default=None, pattern=r"^https?://\S+$", description="Where to read it (http or https)."
    )
    quote: str | None = Field(default=None, description="The words that support the stances.")
    note: str | None = Field(
        default=None, description="Caveats: a copied report, a descriptive title, a paywall ..."
    )
    archive: str | None = Field(
        default=None,
        min_length=1,
        description="A local copy (plain text, HTML or PDF), as a path relative to the "
        "proposal file: what `negpos check` finds quotes in.",
    )
    sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the archived copy (lower-case hex), as `negpos archive add` "
        "records it: `negpos check` reports a copy changed since.",
    )

    def citation(self) -> str:
        """One line a bibliography can print."""
        parts = [self.publisher, f"“{self.title}”"]
        if self.date is not None:
            parts.append(self.date.isoformat())
        if self.url:
            parts.append(self.url)
        return ", ".join(parts)
