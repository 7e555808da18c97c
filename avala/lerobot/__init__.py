"""Avala sequence datasets as LeRobot v3 datasets (extra `avala[lerobot]`).

```python
import avala
from avala.lerobot import export_dataset

with avala.Client() as client:
    export_dataset(
        client, "my-org", "my-dataset",
        repo_id="my-user/my-dataset", output_dir="./lerobot-out", fps=30,
        task="pick up the cube",
    )
```

The dataset is written by the `lerobot` library itself (`LeRobotDataset.create`,
`add_frame`, `save_episode`, `finalize`); the opposite direction is
`avala.importers.import_lerobot`. Importing this module without `lerobot` raises
`avala.errors.MissingExtraError` (a `ModuleNotFoundError`) naming the install command.
"""

from __future__ import annotations

from .._extras import require
from ._export import CameraSpec, build_features, discover_camera_specs, export_dataset

require("lerobot.datasets.lerobot_dataset", "lerobot", feature="avala.lerobot")

__all__ = ["CameraSpec", "build_features", "discover_camera_specs", "export_dataset"]
