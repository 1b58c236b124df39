from django.db import migrations


def forwards(apps, schema_editor):
    """One issuing authority per distinct issuer name of the existing types; revoked
    certificates get a revocation date; stored PDFs get their SHA-256 (the upload check)."""
    import hashlib

    from django.db.models import F
    from django.utils.text import slugify

    Authority = apps.get_model("certificates", "IssuingAuthority")
    CertificateType = apps.get_model("certificates", "CertificateType")
    Certificate = apps.get_model("certificates", "Certificate")
    for certificate_type in CertificateType.objects.all():
        name = certificate_type.issuer_name or "HọcSố"
        code = (slugify(name) or "hocso")[:32]
        authority, _ = Authority.objects.get_or_create(name=name, defaults={"code": code})
        certificate_type.authority = authority
        certificate_type.save(update_fields=["authority"])
    Certificate.objects.filter(status="revoked", revoked_at__isnull=True).update(
        revoked_at=F("issued_at"))
    for certificate in Certificate.objects.exclude(pdf="").filter(sha256="").iterator():
        try:
            with certificate.pdf.open("rb") as handle:
                certificate.sha256 = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            continue
        certificate.save(update_fields=["sha256"])


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0003_authorities_validity_revocation'),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
