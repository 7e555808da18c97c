async with AsyncClient(api_key="your_api_key") as client:
    projects = await client.projects.list()
    
    rate_limits = client.rate_limit_info
    print(f"Limit: {rate_limits.get('x-ratelimit-limit')}")
    print(f"Remaining: {rate_limits.get('x-ratelimit-remaining')}")
    print(f"Reset: {rate_limits.get('x-ratelimit-reset')}")
