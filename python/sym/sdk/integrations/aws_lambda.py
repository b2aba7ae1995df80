"""AWS Lambda."""

from typing import Any, Optional, Union

from .. import _sim
from ..event import Event
from ..exceptions.aws import AWSLambdaError  # noqa: F401


def invoke(arn: str, payload: Optional[Union[Event, dict]] = None) -> Any:
    """Invoke a Lambda function and return its decoded JSON result."""
    return _sim.call("aws_lambda.invoke", locals(), kind="any")


def invoke_async(arn: str, payload: Optional[Union[Event, dict]] = None) -> bool:
    """Queue a Lambda invocation; True when it was queued."""
    return _sim.call("aws_lambda.invoke_async", locals(), kind="bool")
