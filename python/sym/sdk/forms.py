"""Prompt forms, fields and options."""

from collections import OrderedDict
from enum import Enum
from typing import Any, Dict, List, Optional

from . import _model as _m


class FieldType(str, Enum):
    STRING = "string"
    INT = "int"
    BOOL = "bool"
    DURATION = "duration"
    SLACK_USER = "slack_user"
    SLACK_USER_LIST = "slack_user_list"
    STR_LIST = "str_list"
    INT_LIST = "int_list"


def _option_value(v):
    if v is None:
        _m.fail("value must not be None")
    if len(str(v)) > 55:
        _m.fail("value must be at most 55 characters")
    return v


class FieldOption(_m.Model):
    """One option of a dropdown field."""

    _own_fields = {
        "value": _m.F(lambda v: FieldOption.validate_value_length(v)),
        "label": _m.F(_m.max_len(_m.v_str, 55)),
    }

    value: Any
    label: str

    @classmethod
    def validate_value_length(cls, value):
        return _option_value(value)


class SlackUserSelection(_m.Model):
    _own_fields = {
        "user_id": _m.F(_m.v_str, immutable=True),
        "username": _m.F(_m.optional(_m.v_str), None, immutable=True),
    }
    _validate_assignment = True

    user_id: str
    username: Optional[str]


class PromptField(_m.Model):
    _own_fields = {
        "name": _m.F(_m.v_str, immutable=True),
        "type": _m.F(_m.enum_of(FieldType), immutable=True),
        "value": _m.F(_m.v_any, None),
        "label": _m.F(_m.optional(_m.v_str), None),
        "required": _m.F(_m.v_bool, True),
        "current_allowed_values": _m.F(_m.list_of(_m.model_of(FieldOption)), []),
        "original_allowed_values": _m.F(_m.list_of(_m.model_of(FieldOption)), [], immutable=True),
        "visible": _m.F(_m.v_bool, True),
    }
    _validate_assignment = True

    name: str
    type: FieldType
    value: Any
    label: Optional[str]
    required: bool
    current_allowed_values: List[FieldOption]
    original_allowed_values: List[FieldOption]
    visible: bool


def _fields_dict(v):
    if isinstance(v, (list, tuple)):
        return [_m.model_of(PromptField)(f) for f in v]
    if not isinstance(v, dict):
        _m.fail("value is not a valid dict")
    out = OrderedDict()
    for key, field in v.items():
        out[_m.v_str(key)] = _m.model_of(PromptField)(field)
    return out


def _str_dict(v):
    if not isinstance(v, dict):
        _m.fail("value is not a valid dict")
    return {_m.v_str(k): _m.v_str(x) for k, x in v.items()}


class SymPromptForm(_m.Model):
    _own_fields = {
        "fields": _m.F(_fields_dict),
        "flow_vars": _m.F(_str_dict, {}),
        "additional_header_text": _m.F(_m.optional(_m.v_str), None),
    }

    fields: "OrderedDict[str, PromptField]"
    flow_vars: Dict[str, str]
    additional_header_text: Optional[str]
