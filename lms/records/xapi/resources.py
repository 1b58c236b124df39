"""The read-only resources: about, activities, agents."""

from django.http import HttpResponse

from .http import XapiError, XapiRequest, json_response, xapi_view


@xapi_view(methods={"GET", "HEAD"}, auth=False)
def about(request: XapiRequest) -> HttpResponse:
    return json_response({"version": ["1.0.3", "2.0.0"], "extensions": {}})


@xapi_view(methods={"GET", "HEAD"})
def activities(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")


@xapi_view(methods={"GET", "HEAD"})
def agents(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")
