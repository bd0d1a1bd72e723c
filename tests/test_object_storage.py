"""Files go through Django's storage API: an S3-compatible store replaces the local folder by configuration.

moto plays the object store inside the test process (no network); the app is
configured as ``STORAGE_BACKEND=s3`` configures it.
"""

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws

from evaluations.enums import TeamRole
from rubrics.models import Evidence
from tests.factories import EvaluationFactory, small_rubric, team

pytestmark = pytest.mark.django_db

BUCKET = "evalsite-files"


@pytest.fixture
def object_store(settings, tmp_path):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
        s3.create_bucket(Bucket=BUCKET)
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "access_key": "test",
                            "secret_key": "test", "default_acl": "private", "file_overwrite": False,
                            "location": "evalsite"},
            },
        }
        yield s3


def test_evidence_is_stored_in_the_bucket_and_served_back_through_the_view(client, object_store, settings):
    evaluation = small_rubric(EvaluationFactory())
    client.force_login(team(evaluation)[TeamRole.STAFF])
    content = "资金支付凭证".encode() * 100
    response = client.post(reverse("evidence_upload", args=[evaluation.pk, "A11"]),
                           {"file": SimpleUploadedFile("凭证.pdf", content), "title": "支付凭证"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    keys = [item["Key"] for item in object_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"evalsite/{evidence.file.name}"]
    assert object_store.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == content
    assert not settings.MEDIA_ROOT.exists()  # nothing written to the local folder

    download = client.get(reverse("evidence_download", args=[evaluation.pk, evidence.pk]))
    assert b"".join(download.streaming_content) == content
    download.close()
