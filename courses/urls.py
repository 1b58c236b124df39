from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("my/", views.my_learning_view, name="my_learning"),
    path("learn/course/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learn/lesson/<int:lesson_id>/complete/", views.complete_lesson,
         name="complete_lesson"),
]
