"""KnowBe4."""

from typing import List, Optional

from .. import _sim
from ..exceptions.knowbe4 import KnowBe4Error  # noqa: F401
from ..user import User


def get_training_enrollments_for_user(
    user: User, store_purchase_id: Optional[int] = None, campaign_id: Optional[int] = None
) -> List[dict]:
    return _sim.call("knowbe4.get_training_enrollments_for_user", locals(), kind="list")


def is_user_in_group(user: User, group_id: int) -> bool:
    return _sim.call("knowbe4.is_user_in_group", locals(), kind="bool")
