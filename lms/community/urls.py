from django.urls import path

from . import api, hr_views, views

app_name = "community"
urlpatterns = [
    path("community/", views.home, name="home"),
    path("community/visits/new/", views.visit_new, name="visit_new"),
    path("community/api/session/", api.session, name="api_session"),
    path("community/api/visits/", api.visits, name="api_visits"),
    path("hr/teams/", hr_views.team_list, name="hr_teams"),
    path("hr/teams/new/", hr_views.team_new, name="hr_team_new"),
    path("hr/teams/<int:pk>/", hr_views.team_edit, name="hr_team_edit"),
]
