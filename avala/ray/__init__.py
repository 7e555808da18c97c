"""Ray Data reads of Avala datasets (extra `avala[ray]`).

```python
import ray

import avala
from avala.ray import read_dataset

ray.init()
items = read_dataset(avala.Client(), "my-org", "my-dataset", fetch_media=True)
print(items.count())
```

Importing this module without Ray raises `avala.errors.MissingExtraError` (a
`ModuleNotFoundError`) naming the install command.
"""

from __future__ import annotations

from ._datasource import AvalaDatasource, read_dataset

__all__ = ["AvalaDatasource", "read_dataset"]
