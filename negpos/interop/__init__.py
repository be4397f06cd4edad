"""Interoperability with other datasets: the PA-X crosswalk.

``to_pax`` writes proposals as a wide table in PA-X's column conventions; ``from_pax`` reads
PA-X-style rows into proposals negpos can compare; ``load_pax_crosswalk`` gives the crosswalk
both follow (``negpos/codebooks/crosswalks/pax.yaml``). pandas loads only when a table is
made or read.
"""

from negpos.interop.crosswalk import (
    CrosswalkError,
    PaxCrosswalk,
    PaxVariable,
    load_pax_crosswalk,
)
from negpos.interop.pax import PaxRowError, from_pax, pax_agreement_id, to_pax

__all__ = [
    "CrosswalkError",
    "PaxCrosswalk",
    "PaxRowError",
    "PaxVariable",
    "from_pax",
    "load_pax_crosswalk",
    "pax_agreement_id",
    "to_pax",
]
