"""Prompt forms, fields and options."""

from collections import OrderedDict
from enum import Enum
from typing import Any, Dict, List, Optional

from . import _model as m


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
        m.fail("value must not be None")
    if len(str(v)) > 55:
        m.fail("value must be at most 55 characters")
    return v


class FieldOption(m.Model):
    """One option of a dropdown field."""

    _own_fields = {
        "value": m.F(_option_value),
        "label": m.F(m.max_len(m.v_str, 55)),
    }

    value: Any
    label: str


class SlackUserSelection(m.Model):
    _own_fields = {
        "user_id": m.F(m.v_str, immutable=True),
        "username": m.F(m.optional(m.v_str), None, immutable=True),
    }
    _validate_assignment = True

    user_id: str
    username: Optional[str]


class PromptField(m.Model):
    _own_fields = {
        "name": m.F(m.v_str, immutable=True),
        "type": m.F(m.enum_of(FieldType), immutable=True),
        "value": m.F(m.v_any, None),
        "label": m.F(m.optional(m.v_str), None),
        "required": m.F(m.v_bool, True),
        "current_allowed_values": m.F(m.list_of(m.model_of(FieldOption)), []),
        "original_allowed_values": m.F(m.list_of(m.model_of(FieldOption)), [], immutable=True),
        "visible": m.F(m.v_bool, True),
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
    if not isinstance(v, dict):
        m.fail("value is not a valid dict")
    out = OrderedDict()
    for key, field in v.items():
        out[m.v_str(key)] = m.model_of(PromptField)(field)
    return out


def _str_dict(v):
    if not isinstance(v, dict):
        m.fail("value is not a valid dict")
    return {m.v_str(k): m.v_str(x) for k, x in v.items()}


class SymPromptForm(m.Model):
    _own_fields = {
        "fields": m.F(_fields_dict),
        "flow_vars": m.F(_str_dict, {}),
        "additional_header_text": m.F(m.optional(m.v_str), None),
    }

    fields: "OrderedDict[str, PromptField]"
    flow_vars: Dict[str, str]
    additional_header_text: Optional[str]
