"""The flow's strategy as data."""

from typing import Dict, List, Optional
from uuid import UUID

from . import _model as m
from .resource import SRN
from .strategies import Integration
from .target import AccessTarget


def _srn(v):
    if isinstance(v, SRN):
        return v
    try:
        return SRN.parse(v)
    except Exception:  # noqa: BLE001
        m.fail("value is not a valid SRN")


def _str_dict(v):
    if not isinstance(v, dict):
        m.fail("value is not a valid dict")
    return {m.v_str(k): m.v_str(x) for k, x in v.items()}


class Strategy(m.Model):
    _own_fields = {
        "id": m.F(m.v_uuid),
        "type": m.F(m.v_str),
        "name": m.F(m.v_str),
        "label": m.F(m.optional(m.v_str), None),
        "integration": m.F(m.instance_of(Integration)),
        "targets": m.F(m.list_of(m.instance_of(AccessTarget)), []),
        "settings": m.F(_str_dict),
        "srn": m.F(_srn),
    }

    id: UUID
    type: str
    name: str
    label: Optional[str]
    integration: Integration
    targets: List[AccessTarget]
    settings: Dict[str, str]
    srn: SRN
