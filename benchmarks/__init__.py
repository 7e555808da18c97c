"""Benchmarks of this SDK against the official SDK (`avala==0.10.0`) and raw httpx.

Run with `nox -s bench` (`-- --quick` for a smoke run); see `benchmarks/run.py`. Not part of
the package: the wheel ships `avala/` only.
"""
