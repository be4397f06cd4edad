"""Helpers the doc templates exec to print field tables from the model and the codebook."""

import negpos
from negpos.model import RegionStance, Reparations, SecurityStance
from negpos.model.stance import StanceMeta, entries_keyed

__all__ = ["RegionStance", "Reparations", "SecurityStance", "allowed", "cb", "poles", "typed_table"]

cb = negpos.default_codebook()


def allowed(d):
    parts = []
    if d.values_from == "parties":
        parts.append("a party id")
    if d.values:
        parts.append(", ".join(f"`{v}`" for v in d.values))
    if d.universal:
        parts.append(f"or `{d.universal}` (everyone)")
    if d.unit:
        parts.append(f"unit {d.unit}")
    if d.range:
        parts.append(f"range {d.range.min:g}–{d.range.max:g}")
    return "; ".join(parts) or "—"


def poles(d):
    if not d.poles:
        return "—"
    return " vs ".join("{" + ", ".join(p) + "}" for p in d.poles)


def typed_table(model, template, skip, first=None):
    print("| Field | Kind | Values | Poles | Meaning |")
    print("|---|---|---|---|---|")
    if first:
        print(first)
    for name, f in model.model_fields.items():
        if name in skip or name in StanceMeta.model_fields:
            continue
        keyed = entries_keyed(f)
        key = template.replace(
            "NAME", name if keyed is None else f"{keyed.segment}.{{{keyed.what}}}"
        )
        d = cb.resolve(
            key.replace("{region}", "r").replace("{party}", "p").replace("{organisation}", "o")
        ).definition
        fname = f"`{name}`" + ("" if keyed is None else f" (mapping: {keyed.what} id → stance)")
        print(f"| {fname} | {d.kind.value} | {allowed(d)} | {poles(d)} | {f.description} |")
