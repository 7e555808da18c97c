"""A framework-free router: `(method, path)` to a handler, Django URL-resolver semantics.

Routes live in a segment trie. At every level a literal segment is tried before the parameter
branch, with backtracking, which settles the hazards of contract section 1.7 whatever the order
of registration: `/slices/{owner}/list/` beats `/slices/{owner}/{slug}/`, yet a slice slugged
`list` still reaches `/slices/{owner}/list/items/list/`.

The first route whose pattern matches decides; a method it does not serve is a 405, as when
Django resolves a URL and the view refuses the method. Paths are split on `/` first and each
segment percent-decoded afterwards, so `%2F` inside an id stays in its segment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from ._context import Ctx, Reply

__all__ = ["Handler", "Route", "Router", "split_path"]

Handler = Callable[[Ctx], Reply]


@dataclass
class Route:
    pattern: str
    params: tuple[str, ...]
    handlers: dict[str, Handler] = field(default_factory=dict)

    @property
    def methods(self) -> list[str]:
        return sorted(self.handlers)


@dataclass
class _Node:
    literals: dict[str, _Node] = field(default_factory=dict)
    param: _Node | None = None
    route: Route | None = None


def split_path(path: str, prefix: str) -> list[str] | None:
    """Decoded segments of `path` below `prefix`, or None when it cannot match any route.

    Every route ends with `/` (DRF's trailing-slash routers), so a path without it is unknown.
    """
    if not path.startswith(prefix + "/") or not path.endswith("/"):
        return None
    inner = path[len(prefix) + 1 : -1]
    if not inner:
        return None
    return [unquote(segment, errors="replace") for segment in inner.split("/")]


class Router:
    def __init__(self) -> None:
        self._root = _Node()
        self._routes: dict[str, Route] = {}

    def add(self, method: str, pattern: str, handler: Handler) -> None:
        """Register `handler` for `method` on `pattern` (e.g. `/tasks/{uid}/`)."""
        route = self._routes.get(pattern)
        if route is None:
            route = self._insert(pattern)
        if method in route.handlers:
            raise ValueError(f"{method} {pattern} registered twice")
        route.handlers[method] = handler

    def _insert(self, pattern: str) -> Route:
        if not (pattern.startswith("/") and pattern.endswith("/")):
            raise ValueError(f"route {pattern!r} must start and end with '/'")
        node = self._root
        params: list[str] = []
        for segment in pattern.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                params.append(segment[1:-1])
                if node.param is None:
                    node.param = _Node()
                node = node.param
            else:
                node = node.literals.setdefault(segment, _Node())
        route = node.route = Route(pattern, tuple(params))
        self._routes[pattern] = route
        return route

    def resolve(self, segments: list[str]) -> tuple[Route, dict[str, str]] | None:
        values: list[str] = []
        route = self._walk(self._root, segments, 0, values)
        if route is None:
            return None
        return route, dict(zip(route.params, values, strict=True))

    def _walk(self, node: _Node, segments: list[str], i: int, values: list[str]) -> Route | None:
        if i == len(segments):
            return node.route
        segment = segments[i]
        child = node.literals.get(segment)
        if child is not None:
            found = self._walk(child, segments, i + 1, values)
            if found is not None:
                return found
        if node.param is not None and segment:
            values.append(segment)
            found = self._walk(node.param, segments, i + 1, values)
            if found is not None:
                return found
            values.pop()
        return None

    def routes(self) -> list[Route]:
        return list(self._routes.values())
