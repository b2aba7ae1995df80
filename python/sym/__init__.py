"""The `sym` namespace of the symflow test stand-in (see sym/sdk)."""

# The hosted runtime sets this to False to delay initialisation; the stand-in
# always initialises.
initialized = True
