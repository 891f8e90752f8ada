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
    """Too many of something: `retry_after` is the seconds to wait, sent as `Retry-After`."""

    status = 429
    code = "rate_limited"

    def __init__(self, message=None, fields=None, code=None, retry_after=None):
        super().__init__(message, fields, code)
        self.retry_after = retry_after


class PostingLimited(RateLimited, ValidationFailed):
    """The screen refused a post for its rate alone (the posting gap or the daily cap).

    The API answers 429 `rate_limited` with `Retry-After`, so a client can tell
    waiting from fixing its input; a page catches it as the `ValidationFailed`
    it also is, and re-renders the form with the message and the typed text.
    """
