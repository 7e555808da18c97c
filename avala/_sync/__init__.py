# Generated from avala/_async/__init__.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""The single source of truth for every line of I/O. `avala/_sync` is generated from it by
`scripts/unasync.py`; edit here, never there. Kept empty so importing a submodule is cheap."""
