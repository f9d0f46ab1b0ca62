"""Course tools: many notes at once.

Discovery, the process-pool batch, the build cache, deckgen.toml, progress reports, watch
mode, the course pack, `init` and `doctor`. Sits on top of the pipeline; nothing below imports it.
"""
