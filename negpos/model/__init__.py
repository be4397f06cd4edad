"""The typed model users write: proposals, parties, regions, sources and stances."""

from negpos.model.party import Party, PartyKind
from negpos.model.proposal import Proposal, ProposalStatus
from negpos.model.region import Region
from negpos.model.reparations import Reparations
from negpos.model.security import SecurityStance
from negpos.model.source import Source
from negpos.model.stance import (
    IssueStance,
    ItemsStance,
    KeyedStance,
    NumberStance,
    Stance,
    StanceMeta,
    TextStance,
    YesNoStance,
)
from negpos.model.territory import RegionStance

__all__ = [
    "IssueStance",
    "ItemsStance",
    "KeyedStance",
    "NumberStance",
    "Party",
    "PartyKind",
    "Proposal",
    "ProposalStatus",
    "Region",
    "RegionStance",
    "Reparations",
    "SecurityStance",
    "Source",
    "Stance",
    "StanceMeta",
    "TextStance",
    "YesNoStance",
]
