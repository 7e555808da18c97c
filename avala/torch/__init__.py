"""PyTorch datasets over Avala datasets (extra `avala[torch]`: torch and Pillow).

```python
from torch.utils.data import DataLoader

import avala
from avala.torch import AvalaIterableDataset

client = avala.Client()
dataset = AvalaIterableDataset(client, "my-org", "my-dataset", decode_images=True)
for batch in DataLoader(dataset, batch_size=8, num_workers=4, collate_fn=list):
    ...
```

`AvalaRevisionDataset("owner/dataset@main")` reads a published revision (`avala.load`)
instead, without an API key.

Importing this module without PyTorch raises `avala.errors.MissingExtraError` (a
`ModuleNotFoundError`) naming the install command.
"""

from __future__ import annotations

from .._item_media import Sample, Transform, iter_items
from ._datasets import AvalaDataset, AvalaIterableDataset
from ._revision import AvalaRevisionDataset

__all__ = [
    "AvalaDataset",
    "AvalaIterableDataset",
    "AvalaRevisionDataset",
    "Sample",
    "Transform",
    "iter_items",
]
