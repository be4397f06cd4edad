"""The typed model users write: proposals, parties, regions, sources and stances."""

from negpos.model.alternative import Alternative
from negpos.model.evidence import Basis, Evidence, JudgedFlag, JudgedWeight
from negpos.model.frozen import FrozenDict
from negpos.model.party import Party, PartyKind
from negpos.model.proposal import Proposal, ProposalForm, ProposalStatus
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
from negpos.model.value_forms import (
    UNSPECIFIED,
    AllExcept,
    Bound,
    Condition,
    Excluding,
    Extent,
    Including,
)

__all__ = [
    "UNSPECIFIED",
    "AllExcept",
    "Alternative",
    "Basis",
    "Bound",
    "Condition",
    "Evidence",
    "Excluding",
    "Extent",
    "FrozenDict",
    "Including",
    "IssueStance",
    "ItemsStance",
    "JudgedFlag",
    "JudgedWeight",
    "KeyedStance",
    "NumberStance",
    "Party",
    "PartyKind",
    "Proposal",
    "ProposalForm",
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
