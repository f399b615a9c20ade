"""Map the product's exceptions to HTTP statuses and the JSON body ``{"error", "detail"}``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from process_designer.errors import (
    InputError,
    NotFoundError,
    ProcessDesignerError,
    StorageFullError,
    TemplateError,
)
from process_designer.server.messages import (
    MessageConflictError,
    MessageTooLargeError,
    ServiceUnavailableError,
    TurnAbortedError,
)

__all__ = ["error_body", "install_error_handlers", "status_of"]

# Most specific first: the first class an exception is an instance of decides.
_STATUSES: tuple[tuple[type[ProcessDesignerError], int, str], ...] = (
    (MessageTooLargeError, 413, "too_large"),
    (MessageConflictError, 409, "conflict"),
    (TurnAbortedError, 409, "turn_aborted"),
    (ServiceUnavailableError, 503, "unavailable"),
    (NotFoundError, 404, "not_found"),
    (InputError, 400, "invalid"),
    (TemplateError, 422, "template_rejected"),
    (StorageFullError, 507, "storage_full"),
)


def status_of(exc: ProcessDesignerError) -> tuple[int, str]:
    """The HTTP status and error code for ``exc`` (500 ``internal`` for anything unexpected)."""
    for kind, status, code in _STATUSES:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal"


def error_body(code: str, detail: str) -> dict[str, str]:
    return {"error": code, "detail": detail}


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) + "; see /docs for the request schema"


def install_error_handlers(app: FastAPI, max_body_bytes: int) -> None:
    """Answer every error as JSON and refuse bodies over ``max_body_bytes`` with 413."""

    async def product_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ProcessDesignerError)
        status, code = status_of(exc)
        return JSONResponse(error_body(code, str(exc)), status_code=status)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse(error_body("invalid_request", _validation_detail(exc)), status_code=422)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = "not_found" if exc.status_code == 404 else "http_error"
        detail = exc.detail if exc.status_code != 404 else (
            f"no route {request.url.path}; see /docs for the API"
        )
        return JSONResponse(error_body(code, str(detail)), status_code=exc.status_code)

    app.add_exception_handler(ProcessDesignerError, product_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
            return JSONResponse(
                error_body("too_large", f"the request body is {declared} bytes, over the limit of "
                           f"{max_body_bytes}; send less or raise PD_MAX_MESSAGE_BYTES"),
                status_code=413,
            )
        return await call_next(request)
