"""The stored PDF: an archival PDF/A-3b carrying the firm's PAdES seal, checked as a PDF reader would (pyHanko).

The 延津 demo (with its charts) is rendered once as the signed PDF and sealed with the key that
``load_demo`` made for its firm.
"""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction

from evaluations.enums import EvaluationStatus
from reports.archive import install_seal, signing_key_of
from reports.exports import render_data
from reports.models import FirmSigningKey
from reports.queries import report_data
from reports.signing import SealError, check_key_pair, check_seal, generate_self_signed, seal_pdf
from tests.factories import FirmFactory
from tests.reports.conftest import YANJIN, evaluation_named, require

YANJIN_FIRM = "新乡市方政财务咨询有限公司"


@pytest.fixture(scope="module")
def sealed(django_db_setup, django_db_blocker):
    """The 延津 report as stored at sign-off, and the demo firm's certificate."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        evaluation = evaluation_named(YANJIN)
        evaluation.status = EvaluationStatus.SIGNED  # as the sign-off leaves it (not saved: rolled back anyway)
        seal = signing_key_of(evaluation.firm)
        archival = render_data(report_data(evaluation), "pdf", archival=True)
        pdf = seal_pdf(archival, certificate_pem=seal.certificate, encrypted_key_pem=seal.private_key)
        transaction.set_rollback(True)
    return {"pdf": pdf, "archival": archival, "certificate": seal.certificate}


def test_the_seal_of_the_demo_firm_is_intact_and_covers_the_whole_file(sealed):
    check = check_seal(sealed["pdf"], sealed["certificate"])
    assert (check.signed, check.intact, check.valid, check.trusted, check.whole_file) == (True, True, True, True, True)
    assert check.signer == YANJIN_FIRM and check.ok
    assert sealed["pdf"].startswith(sealed["archival"])  # an incremental update: the archival bytes are kept whole


def test_a_pdf_changed_after_signing_reports_a_broken_seal(sealed):
    changed = sealed["pdf"].replace(b"/Producer", b"/Producex", 1)
    assert changed != sealed["pdf"]
    check = check_seal(changed, sealed["certificate"])
    assert check.signed and not check.intact and not check.ok


def test_a_revision_appended_after_signing_is_not_covered_by_the_seal(sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed["pdf"]))
    info = writer.trailer.raw_get("/Info")
    info.get_object()["/Title"] = generic.TextStringObject("改过的报告")
    writer.mark_update(info)
    out = io.BytesIO()
    writer.write(out)
    check = check_seal(out.getvalue(), sealed["certificate"])
    assert check.intact and not check.whole_file and not check.ok


def test_another_certificate_does_not_vouch_for_the_seal(sealed):
    other, _ = generate_self_signed("另一家评价机构")
    check = check_seal(sealed["pdf"], other)
    assert check.intact and not check.trusted and not check.ok
    assert not check_seal(sealed["archival"], sealed["certificate"]).signed


def test_the_stored_pdf_is_pdfa_3b_with_embedded_fonts_and_images(sealed, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    pdf = sealed["pdf"]
    assert pdf.startswith(b"%PDF-1.7")  # PDF/A-3 is PDF 1.7: nothing may raise it to 2.0
    reader = PdfFileReader(io.BytesIO(pdf))
    root = reader.root
    assert "/Version" not in root and not reader.encrypted
    xmp = root["/Metadata"].get_object().data.decode("utf-8")
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3</pdfaid:part>', xmp)
    assert re.search(r'pdfaid:conformance="B"|<pdfaid:conformance>B</pdfaid:conformance>', xmp)
    assert "2022年度延津县政务服务和大数据管理局部门整体支出绩效评价报告" in xmp
    producer = re.search(r'pdf:Producer="([^"]+)"|<pdf:Producer>([^<]+)</pdf:Producer>', xmp)
    info = reader.trailer["/Info"]
    assert str(info["/Producer"]) == (producer.group(1) or producer.group(2))  # PDF/A: Info agrees with XMP
    intent = root["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run([require("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column
    assert any("CJK" in row for row in rows)
    images = subprocess.run([require("pdfimages"), "-list", str(path)], check=True, capture_output=True, text=True).stdout
    assert len(images.splitlines()) > 2  # 附件2's charts are in the archival file


@pytest.mark.django_db
def test_a_key_the_passphrase_does_not_open_or_another_certificate_is_refused(settings):
    certificate, key = generate_self_signed("某评价机构")
    check_key_pair(certificate, key)
    other_certificate, _ = generate_self_signed("另一家评价机构")
    with pytest.raises(SealError, match="私钥与证书不匹配"):
        check_key_pair(other_certificate, key)
    settings.SIGNING_KEY_PASSPHRASE = "another-passphrase"
    with pytest.raises(SealError, match="SIGNING_KEY_PASSPHRASE"):
        check_key_pair(certificate, key)
    firm = FirmFactory(seal=False)
    FirmSigningKey.objects.create(firm=firm, certificate=certificate, private_key=key)
    with pytest.raises(SealError):
        signing_key_of(firm)


@pytest.mark.django_db
def test_set_signing_key_installs_the_firms_pem_pair_encrypted_with_the_passphrase(tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization

    from reports.signing import load_private_key, passphrase

    firm = FirmFactory(name="测试签章机构", seal=False)
    certificate, encrypted = generate_self_signed(firm.name)
    key = load_private_key(encrypted, password=passphrase())
    (tmp_path / "cert.pem").write_text(certificate)
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"key-file-password"),
        )
    )
    monkeypatch.setenv("KEY_FILE_PASSWORD", "key-file-password")
    out = io.StringIO()
    call_command(
        "set_signing_key", "--firm", firm.name, "--cert", str(tmp_path / "cert.pem"), "--key", str(tmp_path / "key.pem"),
        "--key-password-env", "KEY_FILE_PASSWORD", stdout=out,
    )
    stored = FirmSigningKey.objects.get(firm=firm)
    assert "SHA-256 指纹" in out.getvalue()
    assert stored.certificate == certificate and "ENCRYPTED PRIVATE KEY" in stored.private_key
    check_key_pair(stored.certificate, stored.private_key)  # opens with SIGNING_KEY_PASSPHRASE, not the file's password
    other, _ = generate_self_signed("另一家评价机构")
    with pytest.raises(SealError, match="私钥与证书不匹配"):
        install_seal(firm, other, stored.private_key, key_password=passphrase())
