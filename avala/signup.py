"""Create an Avala account without an API key.

```python
import avala

account = avala.signup(email="ada@example.com", password="a long passphrase")
client = avala.Client(api_key=account.api_key)
```

`await avala.async_signup(...)` is the same call for async code.
"""

from __future__ import annotations

from ._async._signup import signup as async_signup
from ._sync._signup import signup
from .types.signup import SignupResponse, SignupUser

__all__ = ["SignupResponse", "SignupUser", "async_signup", "signup"]
