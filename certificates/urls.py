from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("verify/", views.check, name="check"),
    path("verify/<str:serial>.json", views.verify_json, name="verify_json"),
    path("verify/<str:serial>/", views.verify, name="verify"),
    path("credentials/<str:serial>.json", views.credential, name="credential"),
    path("credentials/issuers/<slug:code>/", views.issuer, name="issuer"),
    path("credentials/issuers/<slug:code>/revocations.json", views.revocations,
         name="revocations"),
    path("my/certificates/", views.my_certificates, name="mine"),
    path("my/certificates/<str:serial>.pdf", views.download, name="download"),
]
