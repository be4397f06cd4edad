# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tutorial: from two proposal files to a report
#
# This notebook takes two proposals for ending the war in Ukraine, each written down as a YAML
# file, and goes from them to a comparison, an issue grid, a figure and the self-contained
# report page. Every output below was produced by running it: the documentation site executes
# the notebook each time it is built.
#
# It needs negpos with the `plot` extra (for the figure), from a clone of the repository:
# `python -m pip install ".[plot]"`. The files it writes go to a temporary folder.

# %%
import re
import tempfile
from pathlib import Path

from IPython.display import Image, Markdown

import negpos
from negpos.corpus import Corpus
from negpos.reports import grid_report
from negpos.reports.figures import relation_grid, save_figure
from negpos.reports.page import write_report

# The examples are at the top of the repository; the notebook may run from docs/tutorial/.
here = Path.cwd().resolve()
root = next(p for p in (here, *here.parents) if (p / "examples" / "ukraine").is_dir())
examples = root / "examples" / "ukraine"
out = Path(tempfile.mkdtemp(prefix="negpos-tutorial-"))

# %% [markdown]
# ## Two proposals
#
# Each file holds one proposal: who made it, when, its sources, and a stance on every issue it
# addresses, each stance citing its sources. `negpos.load` reads and validates one; a file with
# mistakes raises an error that lists every problem with its line.

# %%
russia = negpos.load(examples / "russia-2025-06-02.yaml")
us = negpos.load(examples / "us-2025-04-17.yaml")
for proposal in (russia, us):
    print(f"{proposal.label}: {proposal.title}, {len(proposal.keyed_stances())} stances")

# %% [markdown]
# ## The comparison
#
# `negpos.compare(a, b)` relates the two issue by issue: `agree`, `partial`, `conflict`,
# `unclear` (one side states no level), or `only_a` / `only_b` (the other side is silent, and
# silence is never read as agreement). The summary counts the rows and gives the overall gap,
# from 0 (the same stances) to 1 (as far apart as the issues allow).

# %%
comparison = negpos.compare(russia, us)
print(comparison.summary)

# %% [markdown]
# `to_frame()` gives the rows as a pandas DataFrame, one row per issue. Here are the conflicts:

# %%
conflicts = comparison.select(relations=["conflict"])
conflicts.to_frame()[["label", "stance_a", "stance_b", "gap"]].round(2)

# %% [markdown]
# Every row says why, in one line that a reader understands without the documentation:

# %%
for row in conflicts.issues:
    print(f"{row.label}: {row.explanation}")

# %% [markdown]
# The same comparison is also a table in text, Markdown, LaTeX, HTML, CSV or JSON
# (`to_text()`, `to_markdown()`, `to_latex()`, ...), with its sources, notes and quotes. One
# issue, as Markdown:

# %%
Markdown(comparison.select(keys=["reparations.waiver"]).to_markdown())

# %% [markdown]
# ## The grid: every proposal in the folder
#
# The same two files sit in `examples/ukraine/` with four more proposals. A `Corpus` loads the
# folder, and the grid relates every proposal's stance on every issue to a baseline: here the
# Russian memorandum of June 2025. The consensus frame puts the most divisive issues first.

# %%
corpus = Corpus.from_dir(examples)
grid = grid_report(corpus, baseline=russia.id)
print(corpus.ids)
grid.consensus_frame()[["label", "addressed", "largest_agreement", "divisiveness"]].head(8)

# %% [markdown]
# ## A figure
#
# `relation_grid` draws the grid coloured by relation (it needs the `plot` extra);
# `save_figure` writes it as PNG or SVG, byte for byte the same for the same inputs.

# %%
figure_path = save_figure(relation_grid(grid.grid), out / "grid.png")
Image(filename=figure_path, width=640)

# %% [markdown]
# ## The report page
#
# `write_report` writes one static HTML page with the proposals and their sources, every
# pairwise comparison, the grid, the gap matrix and the timelines, the figures inline. It loads
# nothing from the network, so it can be mailed or archived as it is. `negpos report` on the
# command line writes the same page.

# %%
report_path = write_report(corpus, out / "ukraine-report.html")
page = report_path.read_text(encoding="utf-8")
print(f"{report_path.name}: {len(page.encode()) // 1024} KiB")
print("Sections:", ", ".join(re.findall(r"<h2[^>]*>(.*?)</h2>", page)))

# %% [markdown]
# Open the page in a browser to read it. From here, the [guide](../README.md) covers the file
# format, how each relation and gap is computed, and the command line.
