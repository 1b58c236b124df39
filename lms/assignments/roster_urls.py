from django.urls import path

from . import roster_views

app_name = "roster"
urlpatterns = [
    path("", roster_views.upload, name="upload"),
    path("history/", roster_views.history, name="history"),
    path("template.<str:kind>", roster_views.template_file, name="template"),
    path("<int:pk>/", roster_views.detail, name="detail"),
    path("<int:pk>/errors.csv", roster_views.errors_csv, name="errors_csv"),
    path("<int:pk>/apply/", roster_views.apply, name="apply"),
    path("<int:pk>/discard/", roster_views.discard, name="discard"),
]
