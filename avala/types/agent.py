"""`avala.types.agent`: the models of `avala.types.agents` under the module path
code written for the official SDK imports (`from avala.types.agent import Agent`)."""

from __future__ import annotations

from .agents import (
    Agent,
    AgentExecution,
)

__all__ = [
    "Agent",
    "AgentExecution",
]
