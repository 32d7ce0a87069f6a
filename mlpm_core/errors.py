"""The one exception type a user ever sees: a readable message, never a traceback."""


class UserError(Exception):
    """Bad input from a person (a file, a flag, a form value), explained in one message.

    Front ends (CLI, app) catch this and show ``str(error)``; anything else is a bug.
    """
