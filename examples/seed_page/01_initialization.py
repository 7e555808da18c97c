from avala import AsyncClient

client = AsyncClient(api_key="your_api_key")
