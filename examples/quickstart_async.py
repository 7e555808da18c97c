"""List your projects and their pending tasks with the async client.

AVALA_API_KEY=... python examples/quickstart_async.py
# or against the local Avala API:
python -m avala.testing --port 8765 &   # prints AVALA_BASE_URL=...
AVALA_BASE_URL=http://127.0.0.1:8765/api/v1 AVALA_API_KEY=any python examples/quickstart_async.py
"""

import asyncio

from avala import AsyncClient


async def main() -> None:
    async with AsyncClient() as client:  # AVALA_API_KEY and AVALA_BASE_URL from the environment
        async for project in client.projects.list().auto_paging_iter():
            tasks = client.tasks.list(project_id=project.id, status="pending")
            pending = [t.id async for t in tasks.auto_paging_iter()]
            print(f"{project.name}: {len(pending)} pending tasks {pending[:5]}")


if __name__ == "__main__":
    asyncio.run(main())
