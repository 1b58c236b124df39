"""Public verification (page, JSON, file check, credentials, issuer profiles) and the
learner's own certificates."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .credentials import issuer_profile, revocation_list_build
from .models import IssuingAuthority
from .selectors import (
    certificate_by_serial,
    certificate_public,
    certificates_of,
    certificates_revoked,
)
from .services import credential_url, verify_url
from .signing_keys import (
    authority_key,
    authority_key_id,
    authority_profile_url,
    authority_revocations_url,
)
from .verification import certificate_file_check

_JSON_LD = "application/ld+json"


def _public_json(payload: object, *, status: int = 200,
                 content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(payload, status=status, content_type=content_type,
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # anyone may check, from any site
    return response


@require_GET
def verify(request: HttpRequest, serial: str) -> HttpResponse:
    certificate = certificate_by_serial(serial=serial)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", {"serial": serial},
                      status=404)
    return render(request, "certificates/verify.html", {
        "public": certificate_public(certificate), "certificate": certificate,
    })


@require_GET
def verify_json(request: HttpRequest, serial: str) -> JsonResponse:
    certificate = certificate_by_serial(serial=serial)
    if certificate is None:
        return _public_json({"serial": serial, "status": "unknown",
                             "detail": _("No certificate with this serial was issued.")},
                            status=404)
    payload = certificate_public(certificate).as_json()
    payload["verify_url"] = verify_url(certificate.serial)
    return _public_json(payload)


class SerialForm(forms.Form):
    serial = forms.CharField(label=gettext_lazy("Serial"), max_length=32,
                             widget=forms.TextInput(attrs={"placeholder": "HS-XXXX-XXXX-XXXX",
                                                           "autocapitalize": "characters"}))


class FileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Certificate PDF file"),
                           widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))

    def clean_file(self):  # noqa: ANN201 - Django form API
        upload = self.cleaned_data["file"]
        limit = settings.HOCSO_VERIFY_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: a certificate PDF is far smaller.")
                % {"size": limit // (1024 * 1024)})
        return upload


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Look a serial up, or upload a PDF to learn whether it is a genuine certificate."""
    serial_form = SerialForm(request.GET or None)
    if serial_form.is_valid():
        return redirect("certificates:verify", serial=serial_form.cleaned_data["serial"]
                        .strip().upper())
    file_form, result = FileForm(), None
    if request.method == "POST":
        file_form = FileForm(request.POST, request.FILES)
        if file_form.is_valid():
            result = certificate_file_check(data=file_form.cleaned_data["file"].read())
    context = {"serial_form": serial_form, "file_form": file_form, "result": result,
               "public": certificate_public(result.certificate)
               if result and result.certificate else None}
    return render(request, "certificates/check.html", context,
                  status=400 if file_form.errors else 200)


@require_GET
def credential(request: HttpRequest, serial: str) -> JsonResponse:
    """The signed Open Badges 3.0 credential of a certificate (public, like the page)."""
    certificate = certificate_by_serial(serial=serial)
    if certificate is None or not certificate.credential:
        raise Http404(_("No credential with this serial."))
    response = _public_json(certificate.credential, content_type=_JSON_LD)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.json"'
    return response


@require_GET
def issuer(request: HttpRequest, code: str) -> JsonResponse:
    """The issuing authority's Open Badges profile, listing the key its credentials are
    signed with."""
    authority = get_object_or_404(IssuingAuthority, code=code)
    key = authority_key(authority)
    return _public_json(issuer_profile(
        issuer_id=authority_profile_url(authority), name=authority.name,
        url=settings.SITE_URL, key_id=authority_key_id(authority),
        public_key=key.private_key.public_key(),
    ), content_type=_JSON_LD)


@require_GET
def revocations(request: HttpRequest, code: str) -> JsonResponse:
    """The authority's revocation list (1EdTech Revocation List, which the credentials'
    ``credentialStatus`` points at): every revoked credential's id and reason."""
    authority = get_object_or_404(IssuingAuthority, code=code)
    return _public_json(revocation_list_build(
        list_url=authority_revocations_url(authority),
        issuer_id=authority_profile_url(authority),
        revoked=[(credential_url(serial), reason) for serial, reason
                 in certificates_revoked(authority=authority)],
    ))


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
