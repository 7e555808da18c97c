"""When a signed storage URL stops working, read from its query. No I/O.

Understands AWS SigV4 / R2 (`X-Amz-Date` + `X-Amz-Expires`), Google V4 (`X-Goog-Date` +
`X-Goog-Expires`), and an absolute `Expires` epoch (S3 V2, CloudFront, Google V2).
"""

from __future__ import annotations

import calendar
import time
from urllib.parse import parse_qsl, urlsplit

__all__ = ["expires_at", "is_expired"]

# A URL this close to expiry counts as expired: the request must start and be authorised
# before the deadline, and clocks differ.
EXPIRY_MARGIN = 30.0


def expires_at(url: str) -> float | None:
    """Epoch seconds after which `url` is refused, or None when it does not say."""
    try:
        query = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}
    except ValueError:
        return None
    for prefix in ("x-amz-", "x-goog-"):
        date, ttl = query.get(prefix + "date"), query.get(prefix + "expires")
        if date and ttl:
            try:
                signed = calendar.timegm(time.strptime(date, "%Y%m%dT%H%M%SZ"))
                return signed + float(int(ttl))
            except ValueError:
                return None
    raw = query.get("expires")
    if raw and raw.isdigit():
        return float(raw)
    return None


def is_expired(url: str, *, now: float | None = None, margin: float = EXPIRY_MARGIN) -> bool:
    """Whether `url` has expired (or will within `margin` seconds)."""
    deadline = expires_at(url)
    if deadline is None:
        return False
    current = time.time() if now is None else now
    return current + margin >= deadline
