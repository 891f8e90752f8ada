"""Domain errors raised by services and turned into responses in one place.

Services raise these; HTML views let them reach `register_error_handlers`
(or catch `ValidationFailed` to re-render a form), and the API turns them into
`{"error": {"code", "message", "fields"}}` with the matching status.
"""


class DomainError(Exception):
    """Base class: an HTTP status, a machine code and a translated message."""

    status = 400
    code = "bad_request"

    def __init__(self, message=None, fields=None, code=None):
        super().__init__(message or self.code)
        self.message = message
        self.fields = dict(fields or {})
        if code:
            self.code = code


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
