from django.urls import path

from . import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("hr/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("hr/coverage/", views.coverage, name="coverage"),
    path("hr/coverage.csv", views.coverage_csv, name="coverage_csv"),
]
