"""Bargaining: from sourced stances to where the parties could meet.

Above the engine, below the reports. A ``Domain`` (from a profile file or derived from
proposals) gives the issues in scope, their options and each party's preferences; ``bargain``
answers the questions an analyst asks: zones of possible agreement, the Pareto frontier, the
Nash, Kalai–Smorodinsky, utilitarian and egalitarian packages, trades against a proposal, a
compromise forecast, and how robust each is to the uncertain numbers.
"""

from negpos.bargaining.analysis import Bargaining, PlacedProposal, bargain, outcome_utilities
from negpos.bargaining.derived import DERIVED_NOTE, derive_domain, latest_proposals
from negpos.bargaining.domain import DEFAULT_MAX_OUTCOMES, Domain, IssueScope, PartyPreferences
from negpos.bargaining.errors import BargainingError, ProfileFileError
from negpos.bargaining.estimates import Estimate
from negpos.bargaining.forecast import (
    ForecastRow,
    Stakeholder,
    forecast,
    forecast_stakeholders,
    load_stakeholders,
    weighted_mean,
    weighted_median,
)
from negpos.bargaining.frontier import pareto_frontier
from negpos.bargaining.geniusweb import to_geniusweb
from negpos.bargaining.profiles import ProfileFile, load_profiles
from negpos.bargaining.sensitivity import Sensitivity, Spread, sensitivity
from negpos.bargaining.solutions import Concept, Solution, solve, solve_all
from negpos.bargaining.trades import Trade, find_trades
from negpos.bargaining.zones import Zone, ZoneStatus, zones_of_agreement

__all__ = [
    "DEFAULT_MAX_OUTCOMES",
    "DERIVED_NOTE",
    "Bargaining",
    "BargainingError",
    "Concept",
    "Domain",
    "Estimate",
    "ForecastRow",
    "IssueScope",
    "PartyPreferences",
    "PlacedProposal",
    "ProfileFile",
    "ProfileFileError",
    "Sensitivity",
    "Solution",
    "Spread",
    "Stakeholder",
    "Trade",
    "Zone",
    "ZoneStatus",
    "bargain",
    "derive_domain",
    "find_trades",
    "forecast",
    "forecast_stakeholders",
    "latest_proposals",
    "load_profiles",
    "load_stakeholders",
    "outcome_utilities",
    "pareto_frontier",
    "sensitivity",
    "solve",
    "solve_all",
    "to_geniusweb",
    "weighted_mean",
    "weighted_median",
    "zones_of_agreement",
]
