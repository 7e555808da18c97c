from fastapi import FastAPI, Depends
from avala import AsyncClient

app = FastAPI()

async def get_client():
    async with AsyncClient(api_key="your_api_key") as client:
        yield client

@app.get("/projects")
async def list_projects(client: AsyncClient = Depends(get_client)):
    projects = await client.projects.list()
    return projects
