# Datasets
datasets = await client.datasets.list()

# Tasks
tasks = await client.tasks.list(project_id="proj_123")

# Annotation Issues
issues = await client.annotation_issues.list(task_id="task_456")
