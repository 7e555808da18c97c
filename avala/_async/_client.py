from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType

import httpx

from .._core._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    UNSET,
    ClientConfig,
    TimeoutTypes,
    Unset,
)
from .._core._retry import RetryPolicy
from ._http import AsyncHTTPClient
from ._raw_response import AsyncWithRawResponse
from .resources.agents import AsyncAgents
from .resources.annotation_issues import AsyncAnnotationIssues
from .resources.annotations import AsyncAnnotations
from .resources.auto_label_jobs import AsyncAutoLabelJobs
from .resources.consensus import AsyncConsensus
from .resources.datasets import AsyncDatasets
from .resources.exports import AsyncExports
from .resources.fleet import AsyncFleet
from .resources.inference_providers import AsyncInferenceProviders
from .resources.organizations import AsyncOrganizations
from .resources.projects import AsyncProjects
from .resources.quality_targets import AsyncQualityTargets
from .resources.slices import AsyncSlices
from .resources.storage_configs import AsyncStorageConfigs
from .resources.tasks import AsyncTasks
from .resources.users import AsyncUsers
from .resources.webhook_deliveries import AsyncWebhookDeliveries
from .resources.webhooks import AsyncWebhooks


class AsyncClient:
    """Client for the Avala API.

    ```python
    async with AsyncClient() as client:  # key from AVALA_API_KEY
        project = await client.projects.get("proj_123")
    ```

    Args:
        api_key: your API key; defaults to the `AVALA_API_KEY` environment variable.
        base_url: API root; defaults to `AVALA_BASE_URL`, then `https://api.avala.ai/api/v1`.
            Must be https, except http to a loopback host for local development.
        timeout: seconds per request (or an `httpx.Timeout` for per-phase limits), at most a
            day; None for no limit. Default 30 s, or, with `http_client`, that client's own
            timeout.
        max_retries: retries after a network error, 408, 429 or 5xx (0 disables).
        http_client: your own `httpx.AsyncClient` (proxies, custom CA, transports). The SDK
            never closes a client it did not create.
        default_headers: headers added to every request.
        retry_policy: backoff tuning (`RetryPolicy(initial_delay=..., max_delay=...)`).
        max_concurrency: most requests this client has in flight at once; further calls
            wait in the SDK's queue (that wait does not count against `timeout`). Default 8;
            raise it for high-latency links (see the README, "Sizing concurrency").
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: TimeoutTypes | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
        max_concurrency: int | None = None,
    ) -> None:
        config = ClientConfig.create(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            default_headers=default_headers,
            max_concurrency=max_concurrency,
        )
        self._setup(AsyncHTTPClient(config, http_client))

    def _setup(self, http: AsyncHTTPClient) -> None:
        self._http = http
        self.agents = AsyncAgents(self._http)
        self.annotation_issues = AsyncAnnotationIssues(self._http)
        self.annotations = AsyncAnnotations(self._http)
        self.auto_label_jobs = AsyncAutoLabelJobs(self._http)
        self.consensus = AsyncConsensus(self._http)
        self.datasets = AsyncDatasets(self._http)
        self.exports = AsyncExports(self._http)
        self.fleet = AsyncFleet(self._http)
        self.inference_providers = AsyncInferenceProviders(self._http)
        self.organizations = AsyncOrganizations(self._http)
        self.projects = AsyncProjects(self._http)
        self.quality_targets = AsyncQualityTargets(self._http)
        self.slices = AsyncSlices(self._http)
        self.storage_configs = AsyncStorageConfigs(self._http)
        self.tasks = AsyncTasks(self._http)
        self.users = AsyncUsers(self._http)
        self.webhook_deliveries = AsyncWebhookDeliveries(self._http)
        self.webhooks = AsyncWebhooks(self._http)

    @property
    def base_url(self) -> str:
        return self._http.config.base_url

    @property
    def max_retries(self) -> int:
        return self._http.config.max_retries

    @property
    def timeout(self) -> TimeoutTypes | None:
        """The timeout of calls that name none (None: no limit)."""
        return self._http.timeout

    @property
    def with_raw_response(self) -> AsyncWithRawResponse:
        """Every resource's calls, each returning an `APIResponse`: the parsed result
        (`.parse()`) with that call's own `status_code`, `headers`, `request_id` and
        `rate_limit_info` (right under `asyncio.gather`, unlike `client.rate_limit_info`).

        ```python
        response = await client.with_raw_response.tasks.get("task_1")
        task = response.parse()
        ```
        """
        return AsyncWithRawResponse(self)

    def with_options(
        self,
        *,
        timeout: TimeoutTypes | Unset | None = UNSET,
        max_retries: int | Unset = UNSET,
        default_headers: Mapping[str, str] | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> AsyncClient:
        """A copy of this client with some settings changed, sharing its connection pool
        and its `max_concurrency` bound.

        ```python
        patient = client.with_options(timeout=120, max_retries=5)
        ```

        `default_headers` are added to (and override) this client's. Closing the copy
        leaves the pool open; closing the original closes it for both.
        """
        config = self._http.config.with_changes(
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            retry_policy=retry_policy,
        )
        copy = type(self).__new__(type(self))
        copy._setup(self._http.with_config(config))
        return copy

    @property
    def rate_limit_info(self) -> dict[str, str | None]:
        """Rate-limit headers of the most recent response, by lower-case header name:
        `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset`, and by the short
        keys `limit`, `remaining`, `reset` (raw strings, or None when the response had none).
        A copy: later calls do not change it. The most recent response may be another
        task's: `with_raw_response` gives one call's own."""
        return self._http.rate_limit_info

    async def close(self) -> None:
        """Release the connection pool (a `with_options` copy leaves it to its original).
        Safe to call twice; calls on a closed client raise `ClientClosedError` at once."""
        await self._http.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, max_retries={self.max_retries})"
