"""Integrations: every function records its call and returns a mock or a default."""

from .aws_iam import *  # noqa: F401,F403
from .aws_lambda import *  # noqa: F401,F403
from .aws_sso import *  # noqa: F401,F403
from .boundary import *  # noqa: F401,F403
from .github import *  # noqa: F401,F403
from .google import *  # noqa: F401,F403
from .knowbe4 import *  # noqa: F401,F403
from .okta import *  # noqa: F401,F403
from .onelogin import *  # noqa: F401,F403
from .pagerduty import *  # noqa: F401,F403
from .slack import *  # noqa: F401,F403
from .sym import *  # noqa: F401,F403
from . import aws_iam, aws_lambda, aws_sso, boundary, github, google, knowbe4, okta, onelogin, pagerduty, slack, sym  # noqa: E402

__all__ = [
    "aws_iam",
    "aws_lambda",
    "aws_sso",
    "boundary",
    "github",
    "google",
    "knowbe4",
    "okta",
    "onelogin",
    "pagerduty",
    "slack",
    "sym",
]
