"""Ray Data reads of Avala datasets (extra `avala[ray]`).

```python
import ray

import avala
from avala.ray import read_dataset

ray.init()
items = read_dataset(avala.Client(), "my-org", "my-dataset", fetch_media=True)
print(items.count())
```

`read_revision("owner/dataset@main")` reads the objects of a published revision
(`avala.load`) the same way, without an API key.

Importing this module without Ray raises `avala.errors.MissingExtraError` (a
`ModuleNotFoundError`) naming the install command.
"""

from __future__ import annotations

from ._datasource import AvalaDatasource, read_dataset
from ._revision import AvalaRevisionDatasource, read_revision

__all__ = ["AvalaDatasource", "AvalaRevisionDatasource", "read_dataset", "read_revision"]
