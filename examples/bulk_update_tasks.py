"""Mark every pending task of a project completed, concurrently, reporting failures.

`asyncio.gather` over thousands of calls is fine: the client keeps at most
`max_concurrency` requests in flight and queues the rest, and retries transient failures.
"""

import asyncio
import sys

from avala import AsyncClient, AvalaError


async def main(project_id: str) -> None:
    async with AsyncClient(max_concurrency=16) as client:
        ids = [t.id async for t in client.tasks.list(project_id=project_id, status="pending")]
        results = await asyncio.gather(
            *[client.tasks.update(id=task_id, status="completed") for task_id in ids],
            return_exceptions=True,
        )
    failed = [(i, r) for i, r in zip(ids, results, strict=True) if isinstance(r, AvalaError)]
    print(f"updated {len(ids) - len(failed)} of {len(ids)} tasks")
    for task_id, error in failed:
        print(f"  {task_id}: {error}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "proj_123"))
