"""Errors of the learning-record store, shared by the services and the xAPI endpoint."""


class InvalidStatement(ValueError):
    """The statement breaks the xAPI specification; the message names the field and rule."""


class StatementConflict(ValueError):
    """A statement with this id is stored already, with different content."""


class NotAllowed(PermissionError):
    """The credentials may not write or read this statement or document."""


class NotAuthenticated(PermissionError):
    """No valid credentials: missing, malformed, unknown, inactive or expired."""
