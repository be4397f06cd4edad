"""Compare the Ukrainian proposals pairwise and write one Markdown table per pair.

Run from anywhere:  python examples/compare_ukraine.py [OUTPUT_DIR]
(default: examples/output). Each table names both proposals, their dates and every source.
"""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

import negpos

HERE = Path(__file__).resolve().parent
# The pairs researchers ask about first; every other pair follows.
HEADLINE = ("russia-2025-06-02", "us-2025-04-17")


def main(output_dir: Path) -> list[Path]:
    proposals = {p.id: p for p in negpos.load_dir(HERE / "ukraine")}
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    pairs = [HEADLINE] + [
        pair for pair in combinations(sorted(proposals), 2) if set(pair) != set(HEADLINE)
    ]
    for a_id, b_id in pairs:
        comparison = negpos.compare(proposals[a_id], proposals[b_id])
        path = output_dir / f"{a_id}--{b_id}.md"
        path.write_text(comparison.to_markdown(), encoding="utf-8")
        written.append(path)
        print(f"{path.name}: {comparison.summary}")
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "output")
