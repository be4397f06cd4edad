"""Provenance you can check: quotes against archived sources, and agreement between coders.

``check`` verifies a coding against its evidence (quotes found in archived copies, hashes,
source dates); ``agreement`` measures how far independent codings of one document agree.
Both sit beside the engine: they read proposals and judge them, reports render the results.
"""
