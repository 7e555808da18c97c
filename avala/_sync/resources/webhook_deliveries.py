# Generated from avala/_async/resources/webhook_deliveries.py by scripts/unasync.py. Do not edit: change the async source
# and run `nox -s generate` (or `python scripts/unasync.py`).
from __future__ import annotations

from ._base import APIResource


class WebhookDeliveries(APIResource):
    """Webhook delivery logs."""
