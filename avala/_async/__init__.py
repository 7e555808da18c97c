"""The single source of truth for every line of I/O. `avala/_sync` is generated from it by
`scripts/unasync.py`; edit here, never there. Kept empty so importing a submodule is cheap."""
