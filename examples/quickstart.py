"""The README's five-line example: load two proposals, compare, print where they conflict."""

from pathlib import Path

import negpos

folder = Path(__file__).resolve().parent / "ukraine"
comparison = negpos.compare(
    negpos.load(folder / "russia-2025-06-02.yaml"), negpos.load(folder / "us-2025-04-17.yaml")
)
for issue in comparison.issues:
    if issue.relation == "conflict":
        print(f"{issue.label}: {issue.explanation}")
print(comparison.summary)
