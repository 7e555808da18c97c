import asyncio
from avala import AsyncClient

async def process_tasks(task_ids: list[str]):
    async with AsyncClient(api_key="your_api_key") as client:
        # Fetch all tasks concurrently
        tasks = await asyncio.gather(*[
            client.tasks.get(id=task_id)
            for task_id in task_ids
        ])
        
        # Update all tasks concurrently
        updated = await asyncio.gather(*[
            client.tasks.update(id=task.id, status="completed")
            for task in tasks
        ])
        
        return updated

asyncio.run(process_tasks(["task_1", "task_2", "task_3"]))
