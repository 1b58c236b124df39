"""The statement resource."""

from django.http import HttpResponse

from .http import XapiError, XapiRequest, xapi_view


@xapi_view(methods={"GET", "HEAD", "PUT", "POST"})
def statements(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")
