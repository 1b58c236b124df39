"""Public verification and the learner's own certificates."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import certificate_by_serial, certificates_of


def verify(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = certificate_by_serial(serial=serial)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"serial": serial},
                      status=404)
    return render(request, "certificates/verify.html", {"certificate": certificate})


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    return render(request, "certificates/my_certificates.html",
                  {"certificates": certificates_of(user=request.user)})


@login_required
def download(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = certificates_of(user=request.user).filter(serial=serial).first()
    if certificate is None or not certificate.pdf:
        raise Http404(_("You hold no certificate with this serial."))
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True,
                        filename=f"{certificate.serial}.pdf", content_type="application/pdf")
