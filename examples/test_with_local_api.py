"""Testing your own code against the local Avala API, with the `avala_local` pytest fixture
that `pip install avala[local]` registers. Run: pytest examples/test_with_local_api.py"""

from avala import Client, RetryPolicy
from avala.testing import FaultConfig, LocalAvala


def close_finished_tasks(client: Client, project_id: str) -> int:
    """The code under test: your own function that uses the SDK."""
    count = 0
    for task in client.tasks.list(project_id=project_id, status="pending").auto_paging_iter():
        client.tasks.update(task.id, status="completed")
        count += 1
    return count


def test_close_finished_tasks(avala_local: LocalAvala) -> None:
    with Client(
        api_key="test", base_url=avala_local.base_url, http_client=avala_local.httpx_client()
    ) as client:
        assert close_finished_tasks(client, "proj_123") == 4
    statuses = {
        t["status"] for t in avala_local.store.objects("tasks") if t["project"] == "proj_123"
    }
    assert statuses == {"completed"}


def test_survives_a_flaky_api(avala_local: LocalAvala) -> None:
    avala_local.faults = FaultConfig(fail_rate=0.3, drop_rate=0.1, seed=7)
    fast_retries = RetryPolicy(initial_delay=0.01, max_delay=0.05)  # keep the test quick
    with Client(
        api_key="test",
        base_url=avala_local.base_url,
        http_client=avala_local.httpx_client(),
        max_retries=8,
        retry_policy=fast_retries,
    ) as client:
        assert close_finished_tasks(client, "proj_123") == 4
