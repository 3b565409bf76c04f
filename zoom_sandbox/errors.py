"""The three error shapes Zoom answers with, as exceptions that handlers raise.

REST calls answer ``{"code", "message"}``, the token endpoint ``{"reason", "error"}``, and the
browser-facing pages an HTML error page.
"""

from starlette.responses import JSONResponse

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class ApiError(Exception):
    def __init__(self, status, code, message, errors=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors, self.headers = errors, headers

    def response(self):
        body = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return JSONResponse(body, status_code=self.status, headers=self.headers)


class OAuthError(Exception):
    def __init__(self, error, reason, status=400):
        super().__init__(reason)
        self.error, self.reason, self.status = error, reason, status

    def response(self):
        body = {"reason": self.reason, "error": self.error}
        return JSONResponse(body, status_code=self.status, headers=NO_STORE)


def invalid_grant():
    return OAuthError("invalid_grant", "Invalid Token!")


def invalid_client():
    return OAuthError("invalid_client", "Invalid client_id or client_secret")


def invalid_request():
    return OAuthError("invalid_request", "Bad request")


class PageError(Exception):
    """An error shown to a person in a browser rather than to a program."""

    def __init__(self, status, title, message):
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def invalid_body():
    return ApiError(400, 300, "Request Body should be a valid JSON object.")


def validation_failed(errors):
    return ApiError(400, 300, "Validation Failed.", errors=errors)


async def render_error(request, exc):
    """Exception handler for ApiError and OAuthError."""
    return exc.response()
