# In Jupyter/IPython
from avala import AsyncClient

client = AsyncClient(api_key="your_api_key")
projects = await client.projects.list()
await client.close()
