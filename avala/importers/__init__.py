"""Bring data from elsewhere into Avala datasets.

```python
import avala
from avala.importers import import_folder

with avala.Client() as client:
    dataset = import_folder(client, source="./frames", name="Drive 7", slug="drive-7")
```

Importers: `folder` (local files as they are), `cloud` (a bucket indexed in place, nothing
uploaded), `rosbag` (ROS 1 `.bag` / ROS 2 `.db3` camera topics converted to MCAP; extra
`avala[rosbag]`), `lerobot` (LeRobot episodes converted to MCAP; extra `avala[lerobot]`).
`import_dataset("folder", client, ...)` dispatches by name and
`register_importer` adds your own. Uploads go through `client.datasets.create_from_local`,
so an interrupted import resumes when run again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._async._importers import import_cloud as async_import_cloud
from .._async._importers import import_folder as async_import_folder
from .._core._importers import DATA_TYPES, INDEXED_SUFFIXES, parse_cloud_uri
from .._core._importers import detect_data_type as _detect
from .._sync._importers import import_cloud, import_folder

__all__ = [
    "DATA_TYPES",
    "INDEXED_SUFFIXES",
    "Importer",
    "async_import_cloud",
    "async_import_folder",
    "available_importers",
    "detect_data_type",
    "import_cloud",
    "import_dataset",
    "import_folder",
    "import_lerobot",
    "import_ros_bag",
    "parse_cloud_uri",
    "register_importer",
    "write_bag_mcap",
]

Importer = Callable[..., Any]
_REGISTRY: dict[str, Importer] = {}


def register_importer(name: str, fn: Importer) -> None:
    """Make `import_dataset(name, client, **kwargs)` call `fn(client, **kwargs)`."""
    if not isinstance(name, str) or not name:
        raise ValueError("An importer name must be a non-empty string.")
    if not callable(fn):
        raise TypeError(f"The importer {name!r} must be callable.")
    _REGISTRY[name] = fn


def available_importers() -> list[str]:
    """The registered importer names, sorted."""
    return sorted(_REGISTRY)


def import_dataset(source_type: str, client: Any, **kwargs: Any) -> Any:
    """Run the importer registered as `source_type` (`ValueError` for an unknown one)."""
    importer = _REGISTRY.get(source_type)
    if importer is None:
        raise ValueError(
            f"Unknown importer {source_type!r}; available: {', '.join(available_importers())}."
        )
    return importer(client, **kwargs)


def detect_data_type(files: list[tuple[str, str]] | list[str]) -> str:
    """The data type of `files` (`(local_path, path_in_dataset)` pairs, or names) from
    their suffixes; `ValueError` when none is indexable or they mix types."""
    names = [f[1] if isinstance(f, tuple) else f for f in files]
    return _detect(names)


def import_ros_bag(client: Any, **kwargs: Any) -> Any:
    """Convert a ROS bag's camera topics to MCAP and upload it (see `avala.importers.rosbag`)."""
    from .rosbag import import_ros_bag as run

    return run(client, **kwargs)


def write_bag_mcap(*args: Any, **kwargs: Any) -> Any:
    """Write a ROS bag's camera topics as one MCAP file (see `avala.importers.rosbag`)."""
    from .rosbag import write_bag_mcap as run

    return run(*args, **kwargs)


def import_lerobot(client: Any, **kwargs: Any) -> Any:
    """Convert a LeRobot dataset's episodes to MCAP and upload them (see
    `avala.importers.lerobot`)."""
    from .lerobot import import_lerobot as run

    return run(client, **kwargs)


register_importer("folder", import_folder)
register_importer("cloud", import_cloud)
register_importer("rosbag", import_ros_bag)
register_importer("lerobot", import_lerobot)
