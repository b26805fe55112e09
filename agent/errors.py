"""The error a user can fix: one line that names the file, the problem and the fix; and the warning.

Every room raises a subclass of `VsmError` for bad input; the CLI prints its message, exits 2 and
never shows a traceback for it. Something done on a guess the user should know about (a file read as
Windows-1252 because it is not UTF-8) is a `VsmWarning` (`warnings.warn`): the CLI prints each as one
`vsm: warning:` line, every time, and the work goes on.
"""


class VsmError(Exception):
    """A problem with the user's input or environment, phrased for the user."""

    exit_code = 2


class VsmWarning(UserWarning):
    """Work done on a guess the user should check; one line naming the file and what was guessed."""
