"""GitHub."""

from typing import Iterable, List, Union

from .. import _sim
from ..exceptions.github import GitHubError  # noqa: F401
from ..user import User

try:
    from typing import Literal

    GitHubDefaultRolesT = Literal["read", "triage", "write", "maintain", "admin"]
except ImportError:  # Python < 3.8
    GitHubDefaultRolesT = str
GitHubRoleT = Union[GitHubDefaultRolesT, str]


def get_repo_collaborators(*, repo_name: str, roles: Iterable[GitHubRoleT]) -> List[User]:
    return _sim.call("github.get_repo_collaborators", locals(), kind="users")
