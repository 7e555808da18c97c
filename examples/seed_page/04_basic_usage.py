async with AsyncClient(api_key="your_api_key") as client:
    # Fetch a single project
    project = await client.projects.get(id="proj_123")
    
    # Create a new dataset
    dataset = await client.datasets.create(
        name="Training Data",
        project_id="proj_123"
    )
    
    # List tasks
    tasks = await client.tasks.list(project_id="proj_123")
