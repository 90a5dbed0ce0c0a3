"""``kotacerdas backup`` and ``kotacerdas restore`` round-trip a populated demo: every table's
rows and every stored file come back identical, on the engine the suite runs on (SQLite file or
PostgreSQL). A damaged archive or a database that is not empty is refused before anything changes."""

import tarfile

import pytest

from kotacerdas.lib.testing import Deployment

FINGERPRINT = """
import hashlib
from django.core.files.storage import default_storage
from django.db import connection
from kotacerdas.lib.backup import storage_files
tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows = sorted(repr(row) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
files = {}
for name in storage_files():
    with default_storage.open(name, "rb") as handle:
        files[name] = hashlib.sha256(handle.read()).hexdigest()
result = {"tables": tables, "files": files}
"""


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    site = Deployment(tmp_path_factory.mktemp("backup"), "original")
    site.run("demo", "--no-serve")
    # The daily open data snapshot, run by a worker, adds files of its own to the storage.
    site.run("daily")
    site.run("db_worker", "--batch", "--no-startup-delay")
    archive = site.root / "backup.tar"
    site.run("backup", str(archive))
    yield site, archive
    site.drop()


@pytest.fixture
def empty_site(tmp_path):
    sites = []

    def make(name="restored"):
        site = Deployment(tmp_path, name)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.drop()


def test_a_populated_demo_comes_back_identical(original, empty_site):
    site, archive = original
    before = site.python(FINGERPRINT)
    assert before["tables"]["regions_region"][0] == 552
    names = {name.rsplit("/", 1)[-1] for name in before["files"]}
    assert names >= {"datapackage.json", "regions.csv", "phases.csv", "selections.csv"}  # the open data snapshot
    snapshot = {name for name in names if name.rsplit(".", 1)[0] in {
        "regions", "provinces", "phases", "selections", "screening-runs", "evaluation-results", "programs", "institutions"}}
    assert any(name.endswith(".xlsx") for name in names - snapshot)  # the demo form's workbook (stored under a generated name)
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "files/" + next(iter(before["files"]))} <= set(tar.getnames())

    restored = empty_site()
    output = restored.run("restore", str(archive)).stdout
    assert "checked against the manifest" in output
    assert restored.python(FINGERPRINT) == before
    # The restored site is complete: every migration counts as applied.
    assert "[ ]" not in restored.run("showmigrations").stdout


def test_restoring_into_a_database_that_is_not_empty_is_refused(original, empty_site):
    _site, archive = original
    target = empty_site()
    target.run("migrate", "-v0")
    result = target.run("restore", str(archive), check=False)
    assert result.returncode != 0 and "the database is not empty" in result.stderr


def test_a_damaged_archive_is_refused_before_anything_is_restored(original, empty_site, tmp_path):
    _site, archive = original
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith("regions.csv"):
                data = data.replace(b"Banjar", b"Banyar", 1)
            target.addfile(member, __import__("io").BytesIO(data))
    site = empty_site()
    result = site.run("restore", str(damaged), check=False)
    assert result.returncode != 0 and "regions.csv does not match the manifest" in result.stderr
    assert site.python("from django.db import connection\nresult = connection.introspection.table_names()") == []
