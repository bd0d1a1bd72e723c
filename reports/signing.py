"""The firm's digital seal on a signed report: key pairs, the PAdES signature and its validation.

A firm's certificate and private key are stored in :class:`~reports.models.FirmSigningKey`,
the key as an encrypted PKCS#8 PEM whose passphrase comes from the environment
(``SIGNING_KEY_PASSPHRASE``), never from the database. :func:`seal_pdf` adds a
PAdES signature to a PDF/A file as an incremental update (the signed bytes are
the archival file unchanged, so it stays PDF/A-3); :func:`check_seal` is what a
PDF reader does: is the signature intact, who made it, does it cover the whole
file. pyHanko and ``cryptography`` are imported only here, inside the functions.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError

#: The reason and the field name every seal carries (shown by PDF readers in the signature panel).
SEAL_REASON = "评价机构签发绩效评价报告"
SEAL_FIELD = "FirmSeal"
SELF_SIGNED_YEARS = 20


def outside_event_loop(function, /, *args, **kwargs):
    """Call ``function`` (pyHanko's synchronous API runs ``asyncio.run`` inside) in a thread of its own when this
    thread already runs an event loop (an async caller, Playwright's sync API in a test), else right here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


class SealError(ValidationError):
    """The firm's key cannot be used (missing, or the passphrase does not open it)."""


def passphrase() -> bytes:
    return settings.SIGNING_KEY_PASSPHRASE.encode("utf-8")


def encrypt_private_key(key) -> str:
    """A ``cryptography`` private key as PKCS#8 PEM, encrypted with the configured passphrase."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase()),
    ).decode("ascii")


def generate_self_signed(name: str, *, key=None) -> tuple[str, str]:
    """A self-signed certificate for the organisation ``name`` and its encrypted key, both PEM.

    RSA 2048 (a new key unless ``key`` is given): an elliptic-curve key would make
    pyHanko declare the PDF 2.0 extension for its signature, and a PDF/A-3 file
    must stay PDF 1.7.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = key or rsa.generate_private_key(65537, 2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=True, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"), encrypt_private_key(key)


def load_private_key(pem: str, *, password: bytes | None = None):
    """A PEM private key (encrypted with ``password``, or not at all) as a ``cryptography`` key."""
    from cryptography.hazmat.primitives import serialization

    try:
        return serialization.load_pem_private_key(pem.encode("ascii"), password=password)
    except (ValueError, TypeError) as error:
        raise SealError(f"无法读取私钥：{error}") from None


def certificate_of(pem: str):
    """The asn1crypto certificate pyHanko works with."""
    from asn1crypto import pem as asn1_pem
    from asn1crypto import x509

    _, _, der = asn1_pem.unarmor(pem.encode("ascii"))
    return x509.Certificate.load(der)


def fingerprint(pem: str) -> str:
    """The certificate's SHA-256 fingerprint, as readers show it (hex, upper case, colon-separated)."""
    digest = hashlib.sha256(certificate_of(pem).dump()).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def subject_name(pem: str) -> str:
    return certificate_of(pem).subject.native.get("common_name", "")


def check_key_pair(certificate_pem: str, encrypted_key_pem: str) -> None:
    """Refuse a key that the passphrase does not open or that does not belong to the certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        key = load_private_key(encrypted_key_pem, password=passphrase())
    except SealError:
        raise SealError("签章私钥无法用 SIGNING_KEY_PASSPHRASE 解开：请检查该环境变量。") from None
    certificate = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != certificate.public_key().public_bytes(
        serialization.Encoding.DER, public
    ):
        raise SealError("私钥与证书不匹配。")


def seal_pdf(pdf: bytes, *, certificate_pem: str, encrypted_key_pem: str, location: str = "") -> bytes:
    """``pdf`` with the firm's PAdES signature appended as an incremental update.

    The document information's producer is set to pyHanko's own string before
    signing, so that the information dictionary and the XMP metadata (which
    pyHanko rewrites) still agree, as PDF/A requires.
    """
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.metadata.model import VENDOR
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    check_key_pair(certificate_pem, encrypted_key_pem)
    key = load_private_key_from_pemder_data(encrypted_key_pem.encode("ascii"), passphrase=passphrase())
    signer = signers.SimpleSigner(signing_cert=certificate_of(certificate_pem), signing_key=key, cert_registry=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    info = writer.trailer.raw_get("/Info")
    info.get_object()["/Producer"] = generic.TextStringObject(VENDOR)
    writer.mark_update(info)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        reason=SEAL_REASON,
        location=location or None,
        name=subject_name(certificate_pem),
    )
    return outside_event_loop(signers.sign_pdf, writer, meta, signer=signer).getvalue()


@dataclass(frozen=True)
class SealCheck:
    """What validating a signed PDF says."""

    signed: bool  # a signature is there at all
    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact and cryptographically sound
    trusted: bool  # made with the given certificate (our trust root)
    whole_file: bool  # no change was appended after signing
    signer: str

    @property
    def ok(self) -> bool:
        return self.signed and self.valid and self.trusted and self.whole_file


def check_seal(pdf: bytes, certificate_pem: str) -> SealCheck:
    """Validate the PDF's signature against the firm's certificate, as a PDF reader would."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except (PdfReadError, ValueError):
        signatures = []
    if not signatures:
        return SealCheck(signed=False, intact=False, valid=False, trusted=False, whole_file=False, signer="")
    trust = certificate_of(certificate_pem)
    status = outside_event_loop(validate_pdf_signature, signatures[0], ValidationContext(trust_roots=[trust]))
    return SealCheck(
        signed=True,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=status.signing_cert.subject.native.get("common_name", ""),
    )
