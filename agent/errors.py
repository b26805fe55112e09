"""The error a user can fix: one line that names the file, the problem and the fix.

Every room raises a subclass of `VsmError` for bad input; the CLI prints its message, exits 2 and
never shows a traceback for it.
"""


class VsmError(Exception):
    """A problem with the user's input or environment, phrased for the user."""

    exit_code = 2
