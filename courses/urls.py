from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("public/", views.public_catalog, name="public_catalog"),
    path("my/", views.my_learning_view, name="my_learning"),
    path("my/profile/", views.profile_view, name="profile"),
    path("learn/course/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learn/lesson/<int:lesson_id>/complete/", views.complete_lesson,
         name="complete_lesson"),
    path("learn/unit/<int:unit_id>/au/<int:au_id>/launch/", views.cmi5_launch,
         name="cmi5_launch"),
    path("cmi5/fetch/<str:code>/", views.cmi5_fetch, name="cmi5_fetch"),
    path("cmi5/content/<uuid:package_id>/<path:path>", views.cmi5_content,
         name="cmi5_content"),
]
