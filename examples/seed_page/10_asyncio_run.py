import asyncio
from avala import AsyncClient

async def main():
    async with AsyncClient(api_key="your_api_key") as client:
        projects = await client.projects.list()
        return projects

# Run the async function
projects = asyncio.run(main())
