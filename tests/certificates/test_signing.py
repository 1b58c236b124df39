"""PAdES signing of certificate PDFs and its check; the issuing key and the development key
command. Pure (no database): keys live in a temporary directory made once per session."""

from __future__ import annotations

import datetime
import io
import os
import shutil
import stat
import subprocess
import unicodedata

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates.keys import (
    SigningKey,
    SigningKeyInvalid,
    SigningKeyMissing,
    dev_key_generate,
    signing_key_default,
    signing_key_load,
)
from certificates.pdf import CertificateData, render_certificate_pdf
from certificates.signing import FIELD_NAME, pdf_sign, pdf_signature_check
from tests.certificates import keyfixtures
from tests.certificates.keyfixtures import COMMON_NAME, KeyFiles, key_files_make

signing_files = keyfixtures.signing_files
signing_key = keyfixtures.signing_key
signing_settings = keyfixtures.signing_settings

SERIAL = "HS-7K3M-9QXA-2BCD"
DATA = CertificateData(
    serial=SERIAL, holder_name="Nguyễn Thị Ánh Tuyết",
    agency_name="Phường Hồng Hà, Thành phố Hà Nội",
    course_title="Kỹ năng số cơ bản cho cán bộ, công chức",
    issued_on=datetime.date(2026, 11, 23),
    verify_url=f"http://127.0.0.1:8000/verify/{SERIAL}/", issuer_name="Nền tảng HọcSố",
)
REASON = "Chứng nhận hoàn thành khóa học"


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    return render_certificate_pdf(DATA)


@pytest.fixture(scope="module")
def signed(unsigned: bytes, signing_key: SigningKey) -> bytes:
    return pdf_sign(unsigned, key=signing_key, signer_name="Nền tảng HọcSố", reason=REASON,
                    location="Hà Nội")


def _asn1(certificate: x509.Certificate):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


# -- signing ----------------------------------------------------------------------------------

def test_pyhanko_validator_finds_it_intact_valid_trusted_and_whole(
        signed: bytes, unsigned: bytes, signing_key: SigningKey) -> None:
    assert signed.startswith(unsigned)  # an incremental update: the page is untouched
    signatures = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert [sig.field_name for sig in signatures] == [FIELD_NAME]
    status = validate_pdf_signature(signatures[0], ValidationContext(
        trust_roots=[_asn1(signing_key.certificate)], allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert status.pkcs7_signature_mechanism == "sha256_ecdsa"
    assert status.signing_cert.subject.native["common_name"] == COMMON_NAME
    sig_dict = signatures[0].sig_object
    assert sig_dict["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig_dict["/Name"] == "Nền tảng HọcSố"
    assert sig_dict["/Reason"] == REASON
    assert sig_dict["/Location"] == "Hà Nội"
    # PAdES B-B: signing-certificate-v2 signed, no signing-time attribute (PAdES forbids it)
    attributes = {attr["type"].native: attr["values"][0]
                  for attr in signatures[0].signer_info["signed_attrs"]}
    assert sorted(attributes) == ["content_type", "message_digest", "signing_certificate_v2"]
    assert attributes["signing_certificate_v2"].native == as_signing_certificate_v2(
        _asn1(signing_key.certificate)).native


def test_check_of_a_good_signature(signed: bytes, signing_key: SigningKey) -> None:
    before = datetime.datetime.now(datetime.UTC)
    check = pdf_signature_check(signed, trusted=signing_key.certificate)
    assert check.signed and check.intact and check.trusted and check.covers_whole_file
    assert check.valid and check.problem == ""
    assert check.signer == COMMON_NAME
    assert check.signed_at is not None
    assert abs(check.signed_at - before) < datetime.timedelta(minutes=5)
    assert pdf_signature_check(signed, trusted=[signing_key.certificate]).trusted


def test_vietnamese_text_is_still_extractable(signed: bytes) -> None:
    text = unicodedata.normalize("NFC", PdfReader(io.BytesIO(signed)).pages[0].extract_text())
    text = " ".join(text.split())
    for expected in ("GIẤY CHỨNG NHẬN", "Nguyễn Thị Ánh Tuyết", "Phường Hồng Hà, Thành phố Hà Nội",
                     "Kỹ năng số cơ bản cho cán bộ, công chức", "Ngày 23 tháng 11 năm 2026",
                     f"Số hiệu / Serial: {SERIAL}"):
        assert expected in text


def test_untrusted_or_no_trust_roots(signed: bytes, tmp_path) -> None:
    other = key_files_make(tmp_path, common_name="Kẻ giả mạo")
    other_cert = signing_key_load(key_path=other.key_path, cert_path=other.cert_path).certificate
    for trusted in (None, [], other_cert, [other_cert]):
        check = pdf_signature_check(signed, trusted=trusted)
        assert check.signed and check.intact and check.covers_whole_file
        assert not check.trusted and not check.valid
        assert check.problem == "The signature is not from a trusted issuer."


def test_a_key_with_the_same_name_is_not_trusted(unsigned: bytes, signing_key: SigningKey,
                                                 tmp_path) -> None:
    """Trust follows the key, not the name: a look-alike certificate (same subject) fails."""
    forged = key_files_make(tmp_path)  # same CN and O as the trusted test certificate
    forged_key = signing_key_load(key_path=forged.key_path, cert_path=forged.cert_path)
    assert forged_key.certificate.subject == signing_key.certificate.subject
    pdf = pdf_sign(unsigned, key=forged_key, signer_name="Nền tảng HọcSố", reason=REASON,
                   location="Hà Nội")
    check = pdf_signature_check(pdf, trusted=signing_key.certificate)
    assert check.signed and check.intact and check.signer == COMMON_NAME
    assert not check.trusted and not check.valid


def _issued_by_a_ca(directory) -> tuple[KeyFiles, x509.Certificate]:
    """A key whose certificate a separate CA issued, the file holding the certificate and then
    the CA's, as an authority's real files would."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm")])
    usage = {name: False for name in ("digital_signature", "content_commitment",
             "key_encipherment", "data_encipherment", "key_agreement", "key_cert_sign",
             "crl_sign", "encipher_only", "decipher_only")}

    def certificate(subject, public_key, *, ca: bool) -> x509.Certificate:
        flags = {**usage, **({"key_cert_sign": True, "crl_sign": True} if ca else
                             {"digital_signature": True, "content_commitment": True})}
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_name)
                .public_key(public_key).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=1))
                .not_valid_after(now + datetime.timedelta(days=30))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(**flags), critical=True)
                .sign(ca_key, hashes.SHA256()))

    ca_cert = certificate(ca_name, ca_key.public_key(), ca=True)
    leaf = certificate(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cơ quan cấp")]),
                       key.public_key(), ca=False)
    files = KeyFiles(key_path=directory / "key.pem", cert_path=directory / "chain.pem")
    files.key_path.write_bytes(_pem_key(key))
    files.cert_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM)
                                         for c in (leaf, ca_cert)))
    return files, ca_cert


def test_a_certificate_issued_by_a_ca_is_trusted_through_the_ca(unsigned: bytes,
                                                                tmp_path) -> None:
    files, ca_cert = _issued_by_a_ca(tmp_path)
    key = signing_key_load(key_path=files.key_path, cert_path=files.cert_path)
    assert key.subject_name == "Cơ quan cấp"
    pdf = pdf_sign(unsigned, key=key, signer_name="Cơ quan cấp", reason=REASON, location="Huế")
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert len(signature.signed_data["certificates"]) == 2  # the key's and the CA's, once each
    check = pdf_signature_check(pdf, trusted=ca_cert)
    assert check.valid and check.signer == "Cơ quan cấp"
    assert not pdf_signature_check(pdf, trusted=None).trusted


def _signed_ranges(pdf: bytes) -> list[tuple[int, int]]:
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    start1, length1, start2, length2 = signature.sig_object["/ByteRange"]
    return [(start1, start1 + length1), (start2, start2 + length2)]


def _flip_positions(pdf: bytes) -> list[int]:
    """Offsets spread over the signed bytes: the header, the page content, the original
    cross-reference table, the signature dictionary and the final trailer."""
    (_, gap_start), (gap_end, end) = _signed_ranges(pdf)
    return [0, 9, 3000, gap_start // 2, pdf.rindex(b"xref", 0, gap_start) + 30, gap_start - 1,
            gap_end, gap_end + (end - gap_end) // 2, end - 3]


def test_a_one_byte_change_anywhere_in_the_signed_bytes_is_caught(
        signed: bytes, signing_key: SigningKey) -> None:
    positions = _flip_positions(signed)
    assert len(set(positions)) == len(positions)
    for position in positions:
        changed = bytearray(signed)
        changed[position] ^= 0x01
        check = pdf_signature_check(bytes(changed), trusted=signing_key.certificate)
        assert not check.intact, position
        assert not check.valid and check.problem, position


def test_a_change_inside_the_signature_container_is_caught(
        signed: bytes, signing_key: SigningKey) -> None:
    (_, gap_start), _ = _signed_ranges(signed)
    for offset in (1, 40, 200, 600):  # hex digits of the DER container
        changed = bytearray(signed)
        changed[gap_start + offset] = ord("1") if changed[gap_start + offset] == ord("0") \
            else ord("0")
        check = pdf_signature_check(bytes(changed), trusted=signing_key.certificate)
        assert not check.intact and not check.valid and check.problem, offset


def test_appended_bytes_are_not_covered(signed: bytes, signing_key: SigningKey) -> None:
    check = pdf_signature_check(signed + b"\n% appended\n", trusted=signing_key.certificate)
    assert check.signed and check.intact
    assert not check.covers_whole_file and not check.valid
    assert check.problem == "Something was added to the document after it was signed."


def test_an_appended_incremental_update_is_not_covered(
        signed: bytes, signing_key: SigningKey) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/PageMode"] = generic.NameObject("/UseNone")
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)
    check = pdf_signature_check(output.getvalue(), trusted=signing_key.certificate)
    assert check.signed and check.intact and check.trusted
    assert not check.covers_whole_file and not check.valid


@pytest.mark.parametrize("label", ["empty", "text", "truncated", "random", "unsigned",
                                   "header only"])
def test_garbage_is_not_signed_and_never_raises(label: str, signed: bytes, unsigned: bytes,
                                                signing_key: SigningKey) -> None:
    data = {
        "empty": b"", "text": "không phải PDF".encode(), "truncated": signed[:len(signed) // 2],
        "random": os.urandom(10 * 1024 * 1024), "unsigned": unsigned,
        "header only": b"%PDF-1.7\n%%EOF\n",
    }[label]
    check = pdf_signature_check(data, trusted=signing_key.certificate)
    assert not check.signed and not check.intact and not check.trusted
    assert not check.valid and check.problem


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_poppler_pdfsig_finds_it_valid(signed: bytes, tmp_path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=30,
                            check=False)
    assert "Signature Validation: Signature is Valid." in result.stdout, result.stdout
    assert "Total document signed" in result.stdout
    assert f"Signer Certificate Common Name: {COMMON_NAME}" in result.stdout
    assert "ETSI.CAdES.detached" in result.stdout


# -- keys -------------------------------------------------------------------------------------

def test_a_key_is_loaded_once_and_again_when_its_file_changes(tmp_path) -> None:
    files = key_files_make(tmp_path)
    first = signing_key_load(key_path=files.key_path, cert_path=files.cert_path)
    assert signing_key_load(key_path=files.key_path, cert_path=files.cert_path) is first
    dev_key_generate(key_path=files.key_path, cert_path=files.cert_path, common_name="Mới",
                     organization="HọcSố", overwrite=True)
    stat_before = files.key_path.stat().st_mtime_ns
    os.utime(files.key_path, ns=(stat_before + 10**9, stat_before + 10**9))
    second = signing_key_load(key_path=files.key_path, cert_path=files.cert_path)
    assert second is not first and second.subject_name == "Mới"


def test_missing_files_name_the_path_and_the_command(tmp_path, signing_files: KeyFiles) -> None:
    for key_path, cert_path, missing in (
        (tmp_path / "none.pem", signing_files.cert_path, tmp_path / "none.pem"),
        (signing_files.key_path, tmp_path / "nocert.pem", tmp_path / "nocert.pem"),
    ):
        with pytest.raises(SigningKeyMissing) as error:
            signing_key_load(key_path=key_path, cert_path=cert_path)
        assert str(missing) in str(error.value)
        assert "python manage.py certificates_dev_key" in str(error.value)


def test_a_key_that_does_not_match_the_certificate(tmp_path, signing_files: KeyFiles) -> None:
    other = key_files_make(tmp_path)
    with pytest.raises(SigningKeyInvalid, match="does not match"):
        signing_key_load(key_path=other.key_path, cert_path=signing_files.cert_path)


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@pytest.mark.parametrize("content, message", [
    (b"not a key", "cannot be read"),
    (_pem_key(rsa.generate_private_key(public_exponent=65537, key_size=2048)), "P-256"),
    (_pem_key(ec.generate_private_key(ec.SECP384R1())), "P-256"),
])
def test_unreadable_or_wrong_kind_of_key(tmp_path, signing_files: KeyFiles, content: bytes,
                                         message: str) -> None:
    key_path = tmp_path / "key.pem"
    key_path.write_bytes(content)
    with pytest.raises(SigningKeyInvalid, match=message):
        signing_key_load(key_path=key_path, cert_path=signing_files.cert_path)


def test_an_expired_certificate_is_refused(tmp_path, signing_files: KeyFiles) -> None:
    private_key = serialization.load_pem_private_key(signing_files.key_path.read_bytes(), None)
    current = x509.load_pem_x509_certificate(signing_files.cert_path.read_bytes())
    now = datetime.datetime.now(datetime.UTC)
    expired = (x509.CertificateBuilder().subject_name(current.subject)
               .issuer_name(current.subject).public_key(private_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=30))
               .not_valid_after(now - datetime.timedelta(days=1))
               .sign(private_key, hashes.SHA256()))
    cert_path = tmp_path / "expired.pem"
    cert_path.write_bytes(expired.public_bytes(serialization.Encoding.PEM))
    with pytest.raises(SigningKeyInvalid, match="not now"):
        signing_key_load(key_path=signing_files.key_path, cert_path=cert_path)


def test_unreadable_certificate_and_wrong_password(tmp_path, signing_files: KeyFiles) -> None:
    cert_path = tmp_path / "cert.pem"
    cert_path.write_bytes(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    with pytest.raises(SigningKeyInvalid, match="certificate"):
        signing_key_load(key_path=signing_files.key_path, cert_path=cert_path)
    with pytest.raises(SigningKeyInvalid, match="password"):
        signing_key_load(key_path=signing_files.key_path, cert_path=signing_files.cert_path,
                         password=b"secret")


def test_an_encrypted_key_with_its_password(tmp_path, signing_files: KeyFiles) -> None:
    plain = serialization.load_pem_private_key(signing_files.key_path.read_bytes(), None)
    key_path = tmp_path / "encrypted.pem"
    key_path.write_bytes(plain.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"mat-khau")))
    key = signing_key_load(key_path=key_path, cert_path=signing_files.cert_path,
                           password=b"mat-khau")
    assert key.subject_name == COMMON_NAME


def test_dev_key_certificate_and_file_modes(tmp_path) -> None:
    files = key_files_make(tmp_path)
    assert stat.S_IMODE(files.key_path.stat().st_mode) == 0o600
    certificate = x509.load_pem_x509_certificate(files.cert_path.read_bytes())
    subject = {attr.oid: attr.value for attr in certificate.subject}
    assert subject == {NameOID.COUNTRY_NAME: "VN", NameOID.ORGANIZATION_NAME: "HọcSố test",
                       NameOID.COMMON_NAME: COMMON_NAME}
    assert certificate.issuer == certificate.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert isinstance(certificate.public_key(), ec.EllipticCurvePublicKey)
    assert certificate.public_key().curve.name == "secp256r1"
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no temp


def test_dev_key_refuses_to_overwrite(tmp_path) -> None:
    files = key_files_make(tmp_path)
    before = files.key_path.read_bytes()
    with pytest.raises(FileExistsError):
        dev_key_generate(key_path=files.key_path, cert_path=files.cert_path, common_name="X",
                         organization="Y")
    assert files.key_path.read_bytes() == before


# -- the development key command --------------------------------------------------------------

@pytest.fixture
def key_settings(settings, tmp_path):
    settings.HOCSO_SIGNING_KEY = tmp_path / "keys" / "signing-key.pem"
    settings.HOCSO_SIGNING_CERT = tmp_path / "keys" / "signing-cert.pem"
    settings.HOCSO_SIGNING_KEY_PASSWORD = ""
    return settings


def _run(*args: str) -> str:
    """The command's output, in English (the site's language is Vietnamese)."""
    output = io.StringIO()
    with translation.override("en"):
        call_command("certificates_dev_key", *args, stdout=output, stderr=io.StringIO())
    return output.getvalue()


def test_dev_key_command_writes_once_then_leaves_the_key_alone(key_settings) -> None:
    first = _run("--common-name", "Nền tảng HọcSố", "--organization", "Bộ Nội vụ")
    key_path, cert_path = key_settings.HOCSO_SIGNING_KEY, key_settings.HOCSO_SIGNING_CERT
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    key = signing_key_default()
    assert key.subject_name == "Nền tảng HọcSố"
    assert str(key_path) in first and str(cert_path) in first
    assert key.fingerprint_sha256 in first
    saved = key_path.read_bytes(), cert_path.read_bytes()
    second = _run()
    assert "exists already" in second
    assert (key_path.read_bytes(), cert_path.read_bytes()) == saved
    _run("--force", "--days", "10")
    assert key_path.read_bytes() != saved[0]
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert datetime.timedelta(days=10) <= lifetime < datetime.timedelta(days=10, hours=1)


def test_dev_key_command_refuses_half_a_key(key_settings) -> None:
    _run()
    key_settings.HOCSO_SIGNING_CERT.unlink()
    with pytest.raises(CommandError, match="Only one"):
        _run()


def test_default_key_follows_the_settings(signing_settings: SigningKey) -> None:
    assert signing_key_default() is signing_settings
