from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("hr/coverage/", views.coverage, name="coverage"),
    path("hr/coverage.csv", views.coverage_csv, name="coverage_csv"),
]
