"""Evidence in object storage: with ``KOTACERDAS_STORAGE_URL=s3://...`` an upload lands in the
bucket (not on the app server's disk), the download checks permission and reads it back from the
bucket, and removing the evidence deletes the object. Against a real S3 server (moto's) that the
test starts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.lib.testing import S3Server
from kotacerdas.questionnaires import services
from kotacerdas.settings import storage_from_url

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with S3Server(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def bucket_storage(s3, settings, monkeypatch, tmp_path):
    for key, value in S3Server.CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    settings.MEDIA_ROOT = tmp_path / "local-disk"  # must stay empty: nothing goes to local disk
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(s3.storage_url)}
    return s3


def test_evidence_is_uploaded_to_the_bucket_downloaded_with_permission_and_deleted(client, submission, dave, erin, bucket_storage, settings):
    client.force_login(dave)
    url = f"/questionnaires/{submission.assignment_id}/fill/63.03/evidence/"
    assert client.post(url, {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", PDF)}).status_code == 302
    evidence = submission.evidence.get()
    assert bucket_storage.keys() == [evidence.file.name]
    assert bucket_storage.client().get_object(Bucket="kotacerdas", Key=evidence.file.name)["Body"].read() == PDF
    assert not settings.MEDIA_ROOT.exists()

    response = client.get(f"/questionnaires/evidence/{evidence.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(erin)  # the operator of another region
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/").status_code == 302  # to the login page

    services.remove_evidence(evidence)
    assert bucket_storage.keys() == []


def test_a_second_file_of_the_same_name_never_overwrites_the_first(submission, dave, bucket_storage):
    first = services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk.pdf", PDF), user=dave)
    second = services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk.pdf", PDF + b"2"), user=dave)
    assert first.file.name != second.file.name
    assert bucket_storage.keys() == sorted([first.file.name, second.file.name])


@pytest.mark.parametrize("url, message", [
    ("s3://?endpoint_url=http://x", "give s3://BUCKET"),
    ("s3://bucket?acl=public-read", "unknown: ['acl']"),
    ("ftp://host/media", "must start with file:// or s3://"),
])
def test_a_wrong_storage_url_is_refused_with_what_to_write(url, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        storage_from_url(url)


def test_a_file_url_is_a_folder_and_no_url_the_var_folder():
    assert storage_from_url("file:///srv/kotacerdas/media")["OPTIONS"] == {"location": "/srv/kotacerdas/media"}
    assert storage_from_url("")["BACKEND"] == "django.core.files.storage.FileSystemStorage"
