# Generated from avala/_async/resources/__init__.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
"""One module per API resource, written once here; `avala/_sync/resources` is generated."""
