"""Every problem a check of a whole model finds, raised together."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["CollectedErrors"]


class CollectedErrors:
    """Problems collected at their places in the file and raised as one pydantic
    ``ValidationError``, so that a user sees them all at once and every reader of pydantic's
    errors (the CLI's lines, ``problems_from_validation_error``) names each field."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.items: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], message: str) -> None:
        self.items.append(
            InitErrorDetails(
                type=PydanticCustomError("negpos", "{message}", {"message": message}),
                loc=loc,
                input=None,
            )
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError.from_exception_data(self.title, self.items)
