"""Constants and payload builders shared by the async tests, the generated sync tests and
the core tests (hand-written, never converted)."""

from __future__ import annotations

from typing import Any

API_KEY = "avk_test_0123456789abcdef"
BASE_URL = "https://api.avala.test/api/v1"


def url(path: str) -> str:
    return BASE_URL + path


def page(results: list[dict[str, Any]], next_path: str | None = None) -> dict[str, Any]:
    """A DRF pagination envelope; `next_path` like `/tasks/?cursor=abc` becomes absolute."""
    return {
        "results": results,
        "next": url(next_path) if next_path else None,
        "previous": None,
    }
