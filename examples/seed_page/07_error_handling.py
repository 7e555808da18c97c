import asyncio
from avala import AsyncClient, NotFoundError

async def safe_fetch_tasks(task_ids: list[str]):
    async with AsyncClient(api_key="your_api_key") as client:
        async def fetch_task(task_id: str):
            try:
                return await client.tasks.get(id=task_id)
            except NotFoundError:
                print(f"Task {task_id} not found")
                return None
        
        tasks = await asyncio.gather(*[
            fetch_task(task_id) for task_id in task_ids
        ])
        
        # Filter out None values
        return [task for task in tasks if task is not None]

asyncio.run(safe_fetch_tasks(["task_1", "task_2", "task_3"]))
