import asyncio
from avala import AsyncClient

async def main():
    client = AsyncClient(api_key="your_api_key")
    try:
        projects = await client.projects.list()
    finally:
        await client.close()

asyncio.run(main())
