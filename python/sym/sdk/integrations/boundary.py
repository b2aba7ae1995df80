"""HashiCorp Boundary."""

from typing import List, Optional

from .. import _sim
from ..exceptions.boundary import BoundaryError  # noqa: F401


def list_groups(scope_id: str = "global", filter: Optional[str] = None, recursive: bool = False) -> List[dict]:
    return _sim.call("boundary.list_groups", locals(), kind="list")


def get_group(group_id: str) -> dict:
    return _sim.call("boundary.get_group", locals(), kind="dict")
