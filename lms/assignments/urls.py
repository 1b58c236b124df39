from django.urls import path

from . import hr_views, views

app_name = "assignments"
urlpatterns = [
    # served here instead of by courses (which may not know about assignments); the name
    # courses:my_learning keeps reversing to this same address
    path("my/", views.my_learning_view, name="my_learning"),
    path("hr/assignments/", hr_views.assignment_list, name="list"),
    path("hr/assignments/new/", hr_views.assignment_new, name="new"),
    path("hr/assignments/<int:pk>/", hr_views.assignment_people_view, name="people"),
    path("hr/assignments/<int:pk>/edit/", hr_views.assignment_edit, name="edit"),
    path("hr/assignments/<int:pk>/archive/", hr_views.assignment_archive_view,
         name="archive"),
    path("hr/assignments/<int:pk>/people.csv", hr_views.assignment_people_csv,
         name="people_csv"),
    path("hr/assignments/<int:pk>/people.xlsx", hr_views.assignment_people_xlsx,
         name="people_xlsx"),
]
