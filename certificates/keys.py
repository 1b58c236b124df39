"""The issuing authority's signing key: one ECDSA P-256 private key and its X.509 certificate
(PEM files), used both for the PAdES signature of each certificate PDF and for the signed
Open Badges credential.

Loading and checking a key costs far more than one signature, so a loaded key is kept per
process and reloaded only when a file changes. :func:`dev_key_generate` makes a self-signed
key for development and demonstrations; production installs the authority's real key and
certificate at the same paths."""

from __future__ import annotations

import datetime
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

DEV_KEY_HINT = "run `python manage.py certificates_dev_key`"


class SigningKeyMissing(Exception):
    """The key or certificate file does not exist."""


class SigningKeyInvalid(Exception):
    """The key or certificate cannot be read, is not P-256, or they do not belong together."""


class _FixedValue(CMSAttributeProvider):
    """A signed attribute whose value is the same in every signature."""

    def __init__(self, *, attribute_type: str, value: object) -> None:
        self.attribute_type = attribute_type
        self._value = value

    async def build_attr_value(self, dry_run: bool = False) -> object:
        return self._value


class _PadesSignedAttributes(SignedAttributeProviderSpec):
    """The signed attributes pyHanko's CAdES spec gives a PAdES signature without extra CAdES
    attributes (signing-certificate-v2 only: PAdES forbids signing-time; content-type and
    message-digest are always added by pyHanko), with the signing-certificate value built
    once. asn1crypto re-serialises a structure built from Python values on every ``dump()``,
    and pyHanko dumps it several times per signature: a parsed value is serialised once."""

    def __init__(self, certificate: asn1_x509.Certificate) -> None:
        value = tsp.SigningCertificateV2.load(as_signing_certificate_v2(certificate).dump())
        self._providers = (_FixedValue(attribute_type="signing_certificate_v2", value=value),)

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        return self._providers


class _PreloadedSigner(SimpleSigner):
    """pyHanko's SimpleSigner, made cheaper per signature without changing what it signs:
    the key is parsed once (SimpleSigner parses its DER again for every signature), and the
    signed attributes are frozen (parsed back from their DER) before pyHanko dumps them for
    the signature, the SignerInfo and the CMS container."""

    def __init__(self, *, private_key: ec.EllipticCurvePrivateKey, **kwargs) -> None:
        super().__init__(**kwargs)
        self._private_key = private_key
        self.signed_attr_prov_spec = _PadesSignedAttributes(self.signing_cert)

    async def signed_attrs(self, *args, **kwargs) -> cms.CMSAttributes:
        attrs = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(attrs.dump())

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        algorithm = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(),
                     "sha512": hashes.SHA512()}.get(digest_algorithm)
        if algorithm is None:  # not a digest our P-256 key is used with: pyHanko's own path
            return super().sign_raw(data, digest_algorithm)
        return self._private_key.sign(data, ec.ECDSA(algorithm))


@dataclass(frozen=True)
class SigningKey:
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    signer: SimpleSigner           # pyHanko signer for PAdES, built once, used for every PDF
    subject_name: str              # the certificate's CN, e.g. "Nền tảng HọcSố"

    @property
    def fingerprint_sha256(self) -> str:
        """The certificate's SHA-256 fingerprint as colon-separated hex, for people."""
        return self.certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SigningKeyMissing(f"The signing {what} {path} does not exist: {DEV_KEY_HINT} "
                                "or install the issuing authority's files there.") from None
    except OSError as error:
        raise SigningKeyInvalid(f"The signing {what} {path} cannot be read: {error}") from None


def _build(*, key_pem: bytes, cert_pem: bytes, key_path: Path, cert_path: Path,
           password: bytes | None) -> SigningKey:
    try:
        private_key = serialization.load_pem_private_key(key_pem, password=password or None)
    except (ValueError, TypeError) as error:
        raise SigningKeyInvalid(f"The signing key {key_path} cannot be read (wrong password or "
                                f"not a PEM private key): {error}") from None
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
            private_key.curve, ec.SECP256R1):
        raise SigningKeyInvalid(f"The signing key {key_path} is not an ECDSA P-256 key.")
    try:
        certificates = x509.load_pem_x509_certificates(cert_pem)
    except ValueError as error:
        raise SigningKeyInvalid(f"The signing certificate {cert_path} cannot be read: "
                                f"{error}") from None
    public_key = private_key.public_key()
    # The file may hold the issuing chain after (or before) the key's own certificate.
    own = [c for c in certificates if c.public_key() == public_key]
    if not own:
        raise SigningKeyInvalid(f"The signing key {key_path} does not match the certificate "
                                f"{cert_path}.")
    certificate = own[0]
    chain = [c for c in certificates if c.public_key() != public_key]
    now = datetime.datetime.now(datetime.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise SigningKeyInvalid(
            f"The signing certificate {cert_path} is valid from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}, not now: PDFs signed with it would "
            f"not validate. Install a current certificate ({DEV_KEY_HINT} --force in "
            "development).")
    cert_asn1, *chain_asn1 = (asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
                              for c in (certificate, *chain))
    key_asn1 = asn1_keys.PrivateKeyInfo.load(private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = _PreloadedSigner(
        private_key=private_key, signing_cert=cert_asn1, signing_key=key_asn1,
        # embedded with the signer's own certificate, which is always embedded (listing it
        # here too would embed it twice)
        cert_registry=SimpleCertificateStore.from_certs(chain_asn1),
    )
    return SigningKey(private_key=private_key, certificate=certificate, signer=signer,
                      subject_name=_common_name(certificate))


_cache: dict[tuple, SigningKey] = {}
_cache_lock = threading.Lock()


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def signing_key_load(*, key_path: Path, cert_path: Path,
                     password: bytes | None = None) -> SigningKey:
    """The key at ``key_path`` with the certificate at ``cert_path`` (a PEM file that may
    also hold the issuing chain, which is then embedded in every signature), checked to belong
    together. Kept per process and reloaded when either file changes, since loading costs
    more than signing one certificate."""
    key_path, cert_path = Path(key_path), Path(cert_path)
    cache_key = (str(key_path), str(cert_path), _mtime(key_path), _mtime(cert_path), password)
    cached = _cache.get(cache_key)
    if cached is not None:
        return cached
    key_pem = _read(key_path, "key")
    cert_pem = _read(cert_path, "certificate")
    loaded = _build(key_pem=key_pem, cert_pem=cert_pem, key_path=key_path,
                    cert_path=cert_path, password=password)
    with _cache_lock:
        for stale in [k for k in _cache if k[:2] == cache_key[:2]]:
            del _cache[stale]
        _cache[cache_key] = loaded
    return loaded


def signing_key_paths() -> tuple[Path, Path, bytes | None]:
    """Key path, certificate path and key password from the settings (with their defaults)."""
    from django.conf import settings

    keys_dir = Path(settings.BASE_DIR) / "var" / "keys"
    key_path = Path(getattr(settings, "HOCSO_SIGNING_KEY", None) or keys_dir / "signing-key.pem")
    cert_path = Path(getattr(settings, "HOCSO_SIGNING_CERT", None)
                     or keys_dir / "signing-cert.pem")
    password = getattr(settings, "HOCSO_SIGNING_KEY_PASSWORD", "") or ""
    return key_path, cert_path, (password.encode() if isinstance(password, str)
                                 else password) or None


def signing_key_default() -> SigningKey:
    """The issuing authority's key as configured by ``HOCSO_SIGNING_KEY``,
    ``HOCSO_SIGNING_CERT`` and ``HOCSO_SIGNING_KEY_PASSWORD``."""
    key_path, cert_path, password = signing_key_paths()
    return signing_key_load(key_path=key_path, cert_path=cert_path, password=password)


def _write_atomic(path: Path, data: bytes, *, mode: int) -> None:
    """Write to a temporary file in the same directory, then rename over ``path``: a reader
    never sees half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dev_key_generate(*, key_path: Path, cert_path: Path, common_name: str, organization: str,
                     days: int = 3650, overwrite: bool = False) -> None:
    """A new P-256 key and a self-signed certificate for it (document signing: digital
    signature and non-repudiation), for development and demonstrations. Refuses to replace
    existing files unless ``overwrite``: a replaced key makes earlier PDFs untrusted."""
    key_path, cert_path = Path(key_path), Path(cert_path)
    if not overwrite:
        for path in (key_path, cert_path):
            if path.exists():
                raise FileExistsError(f"{path} exists already; pass overwrite=True to replace.")
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    now = datetime.datetime.now(datetime.UTC)
    public_key = private_key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(private_key, hashes.SHA256())
    )
    _write_atomic(key_path, private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()), mode=0o600)
    _write_atomic(cert_path, certificate.public_bytes(serialization.Encoding.PEM), mode=0o644)
