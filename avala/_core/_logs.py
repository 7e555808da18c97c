"""`AVALA_LOG=debug|info` turns on the SDK's logging without touching logging config in code.

Read once, when the first client is created. The SDK logs to the `avala` logger: requests at
DEBUG (method, path, status, request id; never headers or the key), retries at INFO.
"""

from __future__ import annotations

import logging
import os
from functools import cache

LOG_ENV = "AVALA_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


@cache
def setup_logging_from_env() -> None:
    level = _LEVELS.get(os.environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return
    logger = logging.getLogger("avala")
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
