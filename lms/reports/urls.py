from django.urls import path

from . import dashboard_views, export_views, reach_views, views

app_name = "reports"
urlpatterns = [
    path("hr/dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("hr/dashboard.xlsx", export_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("hr/dashboard.csv", export_views.dashboard_csv, name="dashboard_csv"),
    path("hr/people.xlsx", export_views.people_xlsx, name="people_xlsx"),
    path("hr/people.csv", export_views.people_csv, name="people_csv"),
    path("hr/reach.xlsx", reach_views.reach_xlsx, name="reach_xlsx"),
    path("hr/reach.csv", reach_views.reach_csv, name="reach_csv"),
    path("hr/coverage/", views.coverage, name="coverage"),
    path("hr/coverage.csv", views.coverage_csv, name="coverage_csv"),
]
