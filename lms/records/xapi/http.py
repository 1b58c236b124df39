"""What every xAPI resource shares: credentials, the version header, the alternate request
syntax of xAPI 1.0.3, CORS, and errors as JSON.

A resource view is a plain function ``view(request: XapiRequest) -> HttpResponse``
wrapped by ``xapi_view``; it raises ``XapiError`` for any client error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import orjson
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ..credentials import Credential, authenticate
from ..errors import InvalidStatement, NotAllowed, NotAuthenticated, StatementConflict

V1 = "1.0.3"
V2 = "2.0.0"
# Headers a client may send inside an alternate-syntax (1.0.3) form body.
_FORM_HEADERS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}
_CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": (
        "Content-Type, Content-Length, Authorization, If-Match, If-None-Match, "
        "X-Experience-API-Version, Accept-Language"
    ),
    "Access-Control-Expose-Headers": (
        "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, "
        "X-Experience-API-Version, X-Experience-API-Consistent-Through"
    ),
}


class XapiError(Exception):
    """A client error: ``status`` and a message naming what is wrong."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class XapiRequest:
    """A request after authentication, version negotiation and alternate-syntax decoding."""

    http: HttpRequest
    method: str
    version: str
    params: QueryDict
    body: bytes
    content_type: str
    headers: dict[str, str]
    credential: Credential
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def v2(self) -> bool:
        return self.version == V2

    def json_body(self) -> Any:
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError as exc:
            raise XapiError(400, f"body: not valid JSON ({exc})") from None

    def param(self, name: str, *, required: bool = False) -> str | None:
        value = self.params.get(name)
        if value is None and required:
            raise XapiError(400, f"{name}: parameter is required")
        return value


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None
                  ) -> HttpResponse:
    response = HttpResponse(orjson.dumps(data), status=status,
                            content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _negotiate_version(value: str | None) -> str:
    if not value:
        raise XapiError(400, "X-Experience-API-Version: header is required")
    value = value.strip()
    if value.startswith("1.0.") or value == "1.0":
        return V1
    if value.startswith("2.0.") or value == "2.0":
        return V2
    raise XapiError(400, f"X-Experience-API-Version: {value!r} is not supported "
                         f"(use 1.0.3 or 2.0.0)")


def _decode_alternate(request: HttpRequest) -> tuple[str, QueryDict, bytes, dict[str, str]]:
    """xAPI 1.0.3 alternate request syntax: ``POST ?method=PUT`` with the headers, the
    parameters and the content as form fields."""
    if set(request.GET) != {"method"}:
        raise XapiError(400, "method: no other query parameter is allowed with the "
                             "alternate request syntax")
    method = request.GET["method"].upper()
    if method not in {"GET", "PUT", "POST", "DELETE", "HEAD"}:
        raise XapiError(400, f"method: {method!r} is not an xAPI method")
    if not request.content_type.startswith("application/x-www-form-urlencoded"):
        raise XapiError(400, "Content-Type: the alternate request syntax needs "
                             "application/x-www-form-urlencoded")
    form = parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    params = QueryDict(mutable=True)
    headers: dict[str, str] = {}
    content = b""
    for name, values in form.items():
        lowered = name.lower()
        if lowered == "content":
            content = values[-1].encode()
        elif lowered in _FORM_HEADERS:
            headers[lowered] = values[-1]
        else:
            params.setlist(name, values)
    return method, params, content, headers


def _header_map(request: HttpRequest) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def _cors(response: HttpResponse) -> HttpResponse:
    for name, value in _CORS_HEADERS.items():
        response[name] = value
    return response


def error_response(status: int, message: str, *, version: str = V1) -> HttpResponse:
    response = json_response({"error": {"code": status, "message": message}}, status=status)
    response["X-Experience-API-Version"] = version
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def xapi_view(*, methods: set[str], auth: bool = True, consistent_through: bool = False,
              ) -> Callable[[Callable[[XapiRequest], HttpResponse]], Callable]:
    """Wrap a resource view: decode the request, authenticate, check the version and the
    method, turn errors into JSON responses and add the version and CORS headers (and
    ``X-Experience-API-Consistent-Through`` on every answer of the statement resource:
    statements are visible as soon as their request returns)."""
    allowed = set(methods) | {"OPTIONS"}

    def decorate(view: Callable[[XapiRequest], HttpResponse]) -> Callable:
        @csrf_exempt
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            version = V1
            if request.method == "OPTIONS":
                return _cors(HttpResponse(status=200))
            try:
                if request.method == "POST" and "method" in request.GET:
                    method, params, body, form_headers = _decode_alternate(request)
                    headers = {**_header_map(request), **form_headers}
                    if headers.get("x-experience-api-version", "").startswith("2"):
                        raise XapiError(400, "method: the alternate request syntax was "
                                             "removed in xAPI 2.0")
                    # The request's own Content-Type is the form's; the content's is a
                    # form field, JSON when absent.
                    content_type = form_headers.get("content-type", "application/json")
                else:
                    method, params, body = request.method or "GET", request.GET, request.body
                    headers = _header_map(request)
                    content_type = request.META.get("CONTENT_TYPE", "")
                if method not in allowed:
                    raise XapiError(405, f"method: {method} is not allowed here")
                credential = authenticate(headers.get("authorization")) if auth else Credential(
                    name="anonymous", can_read=True, can_write=False, authority={})
                if auth:
                    version = _negotiate_version(headers.get("x-experience-api-version"))
                elif "x-experience-api-version" in headers:
                    # The about resource never rejects a request for its version header.
                    with contextlib.suppress(XapiError):
                        version = _negotiate_version(headers["x-experience-api-version"])
                xreq = XapiRequest(
                    http=request, method=method, version=version, params=params, body=body,
                    content_type=content_type.split(";")[0].strip().lower()
                    if content_type else "", headers=headers, credential=credential,
                    extra={"content_type_full": content_type},
                )
                if method in {"PUT", "POST", "DELETE"} and not credential.can_write:
                    raise XapiError(403, "credentials: this client may not write")
                if method in {"GET", "HEAD"} and not credential.can_read:
                    raise XapiError(403, "credentials: this client may not read")
                response = view(xreq, *args, **kwargs)
            except XapiError as exc:
                response = error_response(exc.status, exc.message, version=version)
            except InvalidStatement as exc:
                response = error_response(400, str(exc), version=version)
            except StatementConflict as exc:
                response = error_response(409, str(exc), version=version)
            except NotAllowed as exc:
                response = error_response(403, str(exc), version=version)
            except NotAuthenticated as exc:
                response = error_response(401, str(exc), version=version)
            response["X-Experience-API-Version"] = version
            if consistent_through:
                response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat()
            if request.method == "HEAD" or (request.method == "POST"
                                            and request.GET.get("method", "").upper() == "HEAD"):
                response.content = b""
            return _cors(response)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate
