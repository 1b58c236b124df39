"""Create a self-signed signing key for development and demonstrations."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from certificates.keys import dev_key_generate, signing_key_load, signing_key_paths


class Command(BaseCommand):
    help = ("Write a self-signed ECDSA P-256 signing key and certificate to HOCSO_SIGNING_KEY "
            "and HOCSO_SIGNING_CERT, unless they exist (then nothing changes; --force "
            "replaces them, which makes earlier certificates untrusted).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="Replace an existing key and certificate.")
        parser.add_argument("--common-name", default="Nền tảng HọcSố",
                            help="The certificate's CN, shown as the signer of every PDF.")
        parser.add_argument("--organization", default="HọcSố (development key)",
                            help="The certificate's O.")
        parser.add_argument("--days", type=int, default=3650,
                            help="How long the certificate is valid (default 3650 days).")

    def handle(self, *args, force: bool, common_name: str, organization: str, days: int,
               **options) -> None:
        key_path, cert_path, password = signing_key_paths()
        existing = [path for path in (key_path, cert_path) if path.exists()]
        if len(existing) == 1 and not force:
            raise CommandError(_("Only one of the signing key and its certificate exists "
                                 "(%(path)s): restore the other, or use --force to make a new "
                                 "pair.") % {"path": existing[0]})
        if existing and not force:
            self.stdout.write(_("The signing key exists already, nothing changed: %(paths)s "
                                "(use --force to replace it).")
                              % {"paths": ", ".join(str(path) for path in existing)})
            return
        if password:
            self.stderr.write(_("HOCSO_SIGNING_KEY_PASSWORD is set, but a development key is "
                                "written without a password: unset it to use this key."))
        dev_key_generate(key_path=key_path, cert_path=cert_path, common_name=common_name,
                         organization=organization, days=days, overwrite=force)
        key = signing_key_load(key_path=key_path, cert_path=cert_path)
        self.stdout.write(self.style.SUCCESS(_("Signing key written: %(key)s") % {"key": key_path}))
        self.stdout.write(_("Certificate written: %(cert)s") % {"cert": cert_path})
        self.stdout.write(_("Subject: %(subject)s") % {
            "subject": key.certificate.subject.rfc4514_string()})
        self.stdout.write(_("SHA-256 fingerprint: %(fingerprint)s") % {
            "fingerprint": key.fingerprint_sha256})
