from django.urls import URLPattern, path  # noqa: F401

app_name = "community"
urlpatterns: list[URLPattern] = []
