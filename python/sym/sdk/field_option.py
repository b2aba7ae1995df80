"""Back-compat location of FieldOption."""

from .forms import FieldOption  # noqa: F401
