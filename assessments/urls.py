from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("quiz/<int:quiz_id>/start/", views.start, name="start"),
    path("quiz/attempt/<uuid:attempt_id>/save/", views.save, name="save"),
    path("quiz/attempt/<uuid:attempt_id>/submit/", views.submit, name="submit"),
    path("quiz/attempt/<uuid:attempt_id>/", views.result, name="result"),
]
