"""Exceptions raised by integrations."""

from .access_strategy import AccessStrategyError
from .aptible import AptibleError
from .aws import AWSError, AWSIAMError, AWSLambdaError, AWSSSOError
from .boundary import BoundaryError
from .github import GitHubError
from .google import GoogleError
from .http import HTTPError
from .identity import CouldNotSaveError, IdentityError
from .jira import JiraError
from .knowbe4 import KnowBe4Error
from .okta import OktaError
from .onelogin import OneLoginError
from .pagerduty import PagerDutyError
from .sdk import MissingArgument, SDKError
from .slack import SlackError
from .sym_exception import ExceptionWithHint, SymException
from .sym_integration import SymIntegrationError

__all__ = [
    "AccessStrategyError",
    "AptibleError",
    "AWSError",
    "AWSIAMError",
    "AWSSSOError",
    "AWSLambdaError",
    "BoundaryError",
    "CouldNotSaveError",
    "ExceptionWithHint",
    "GitHubError",
    "GoogleError",
    "HTTPError",
    "IdentityError",
    "JiraError",
    "KnowBe4Error",
    "MissingArgument",
    "OktaError",
    "OneLoginError",
    "PagerDutyError",
    "SDKError",
    "SlackError",
    "SymException",
    "SymIntegrationError",
]
