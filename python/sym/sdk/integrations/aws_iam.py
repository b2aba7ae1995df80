"""AWS IAM."""

from .. import _sim
from ..exceptions.aws import AWSIAMError  # noqa: F401
from ..user import User


def is_user_in_group(user: User, *, group_name: str) -> bool:
    return _sim.call("aws_iam.is_user_in_group", locals(), kind="bool")
