"""A read-only mapping for frozen models: ``Proposal.issues`` cannot change after validation.

A frozen pydantic model refuses ``proposal.issues = ...`` but not ``proposal.issues[key] = ...``
on a plain ``dict``; anything computed from the proposal (its compiled positions) would then
describe a proposal that no longer exists. ``FrozenDict`` is a ``dict`` whose every mutating
method raises, so reads stay as fast as a dict's and JSON, pandas and pydantic see a dict.
It validates from any mapping, dumps as a plain dict, pickles and copies.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar, get_args

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["FrozenDict"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A ``dict`` that cannot be changed once made; hashable when its values are.

    ``FrozenDict({"a": 1})["a"]``, iteration, ``in``, ``==`` with a dict and ``dict(...)`` all
    work; ``d[key] = value``, ``del d[key]``, ``update``, ``pop``, ``setdefault``, ``clear``,
    ``popitem`` and ``|=`` raise ``TypeError``. Build a changed copy with ``{**d, key: value}``.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} is read-only; build a new mapping, e.g. {{**old, key: value}}"
        )

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse

    def __hash__(self) -> int:  # type: ignore[override]  # dict is unhashable; this is not
        return hash(frozenset(self.items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[type[FrozenDict[K, V]], tuple[dict[K, V]]]:
        """Pickle and copy through the constructor (a dict's default sets items one by one)."""
        return (type(self), (dict(self),))

    def __copy__(self) -> FrozenDict[K, V]:
        return self  # immutable: a copy is the same object

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """Validated as ``dict[K, V]`` (the same JSON Schema), then frozen; dumped as a dict."""
        key, value = get_args(source) or (Any, Any)
        mapping = handler.generate_schema(dict[key, value])  # type: ignore[valid-type]
        return core_schema.no_info_after_validator_function(
            cls,
            mapping,
            serialization=core_schema.wrap_serializer_function_ser_schema(
                lambda data, serialise: serialise(dict(data)), schema=mapping
            ),
        )
