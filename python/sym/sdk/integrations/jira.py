"""Jira."""

from typing import Any, Dict, List, Optional

from .. import _sim
from ..exceptions.jira import JiraError  # noqa: F401


def search_issues(jql: str, fields: Optional[List[str]] = None, expand: Optional[List[str]] = None) -> List[dict]:
    if not jql:
        raise JiraError("EMPTY_JQL", "jql must not be empty")
    return _sim.call("jira.search_issues", locals(), kind="list")


def add_comment_to_issue(issue_id_or_key: str, comment: str, expand: Optional[List[str]] = None) -> None:
    return _sim.call("jira.add_comment_to_issue", locals(), kind="none")


def create_issue(
    title: str,
    project_key: str,
    issue_type_name: str,
    description: Optional[str] = None,
    due_date: Optional[str] = None,
    labels: Optional[List[str]] = None,
    parent_issue_id_or_key: Optional[str] = None,
    priority_id: Optional[str] = None,
    custom_fields: Optional[Dict[str, Any]] = None,
) -> str:
    return _sim.call("jira.create_issue", locals(), kind="str")
