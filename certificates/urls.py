from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("my/certificates/", views.my_certificates, name="mine"),
    path("my/certificates/<str:serial>.pdf", views.download, name="download"),
]
