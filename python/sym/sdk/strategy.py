"""The flow's strategy as data."""

from typing import Dict, List, Optional
from uuid import UUID

from . import _model as _m
from .resource import SRN
from .strategies import Integration
from .target import AccessTarget


def _srn(v):
    if isinstance(v, SRN):
        return v
    try:
        return SRN.parse(v)
    except Exception:  # noqa: BLE001
        _m.fail("value is not a valid SRN")


def _str_dict(v):
    if not isinstance(v, dict):
        _m.fail("value is not a valid dict")
    return {_m.v_str(k): _m.v_str(x) for k, x in v.items()}


class Strategy(_m.Model):
    _own_fields = {
        "id": _m.F(_m.v_uuid),
        "type": _m.F(_m.v_str),
        "name": _m.F(_m.v_str),
        "label": _m.F(_m.optional(_m.v_str), None),
        "integration": _m.F(_m.instance_of(Integration)),
        "targets": _m.F(_m.list_of(_m.instance_of(AccessTarget)), []),
        "settings": _m.F(_str_dict),
        "srn": _m.F(_srn),
    }

    id: UUID
    type: str
    name: str
    label: Optional[str]
    integration: Integration
    targets: List[AccessTarget]
    settings: Dict[str, str]
    srn: SRN
