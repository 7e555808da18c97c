"""Create an Avala account without an API key.

```python
import avala

account = avala.signup(email="ada@example.com", password="a long passphrase")
client = avala.Client(api_key=account.api_key)
```

`await avala.async_signup(...)` is the same call for async code.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from ._async._signup import signup as async_signup
from ._sync._signup import signup
from .types.signup import SignupResponse, SignupUser

__all__ = ["SignupResponse", "SignupUser", "async_signup", "signup"]


class _CallableModule(types.ModuleType):
    """`avala.signup` is this function even when the module was imported first (importing
    `avala.signup` binds the module object to that name): calling the module signs up."""

    def __call__(self, **kwargs: Any) -> SignupResponse:
        return signup(**kwargs)


sys.modules[__name__].__class__ = _CallableModule
