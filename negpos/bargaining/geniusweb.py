"""Export a domain with its utility functions in GeniusWeb's JSON, for agent-based tools.

GeniusWeb (and NegMAS, which reads it) take a domain (``{"name", "issuesValues"}``) and, per
party, a ``LinearAdditiveUtilitySpace`` with ``issueUtilities`` (``{"discreteutils":
{"valueUtilities": ...}}`` per issue), ``issueWeights`` (summing to 1) and the domain. Options
are written as the codebook spells them; figures as the shortest text that tells them apart.
Only point values travel: ranges and bases have no place in the format. A reservation
*value* has no field either (GeniusWeb has a reservation *bid*), so no ``reservationBid`` is
written and the walk-away utility is kept in the profile's ``name``.
"""

from __future__ import annotations

from typing import Any

from negpos.bargaining.domain import Domain

__all__ = ["to_geniusweb"]


def _value(issue_option: object) -> str:
    if isinstance(issue_option, bool):
        return "yes" if issue_option else "no"
    if isinstance(issue_option, float):
        return repr(issue_option).removesuffix(".0")  # 2.0 -> "2", 0.1 -> "0.1": never merged
    return str(issue_option)


def to_geniusweb(domain: Domain, *, name: str = "negpos") -> dict[str, Any]:
    """``{"domain": {...}, "profiles": {party: {"LinearAdditiveUtilitySpace": {...}}}}``."""
    issues_values = {
        issue.key: {"values": [_value(o) for o in issue.options]} for issue in domain.issues
    }
    domain_json = {"name": name, "issuesValues": issues_values}
    profiles = {}
    for party in domain.parties:
        weights = party.weight_vector()
        profiles[party.party] = {
            "LinearAdditiveUtilitySpace": {
                "issueUtilities": {
                    issue.key: {
                        "discreteutils": {
                            "valueUtilities": {
                                _value(o): round(float(u), 12)
                                for o, u in zip(
                                    issue.options,
                                    party.utilities[i].point(issue.options),
                                    strict=True,
                                )
                            }
                        }
                    }
                    for i, issue in enumerate(domain.issues)
                },
                "issueWeights": {
                    issue.key: round(float(weights[i]), 12) for i, issue in enumerate(domain.issues)
                },
                "domain": domain_json,
                "name": f"{name}-{party.party} (walk-away utility {party.reservation.value:g})",
            }
        }
    return {"domain": domain_json, "profiles": profiles}
