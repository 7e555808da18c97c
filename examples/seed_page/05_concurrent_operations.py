import asyncio
from avala import AsyncClient

async def fetch_all_data():
    async with AsyncClient(api_key="your_api_key") as client:
        # Run multiple requests in parallel
        projects, datasets, agents = await asyncio.gather(
            client.projects.list(),
            client.datasets.list(),
            client.agents.list()
        )
        
        return projects, datasets, agents

results = asyncio.run(fetch_all_data())
