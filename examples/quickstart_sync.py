"""The same with the synchronous client: for scripts, notebooks and CI jobs."""

from avala import Client


def main() -> None:
    with Client() as client:  # AVALA_API_KEY and AVALA_BASE_URL from the environment
        for project in client.projects.list().auto_paging_iter():
            tasks = client.tasks.list(project_id=project.id, status="pending")
            pending = [t.id for t in tasks.auto_paging_iter()]
            print(f"{project.name}: {len(pending)} pending tasks {pending[:5]}")


if __name__ == "__main__":
    main()
