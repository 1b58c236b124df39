from django.urls import re_path

from .xapi import documents, resources, statements

app_name = "xapi"

urlpatterns = [
    re_path(r"^xapi/statements/?$", statements.statements, name="statements"),
    re_path(r"^xapi/about/?$", resources.about, name="about"),
    re_path(r"^xapi/activities/?$", resources.activities, name="activities"),
    re_path(r"^xapi/agents/?$", resources.agents, name="agents"),
    re_path(r"^xapi/activities/state/?$", documents.state, name="state"),
    re_path(r"^xapi/activities/profile/?$", documents.activity_profile,
            name="activity_profile"),
    re_path(r"^xapi/agents/profile/?$", documents.agent_profile, name="agent_profile"),
]
