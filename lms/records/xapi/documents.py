"""The document resources: activities/state, activities/profile, agents/profile."""

from django.http import HttpResponse

from .http import XapiError, XapiRequest, xapi_view


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def state(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def activity_profile(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")


@xapi_view(methods={"GET", "HEAD", "PUT", "POST", "DELETE"})
def agent_profile(request: XapiRequest) -> HttpResponse:
    raise XapiError(501, "not implemented yet")
