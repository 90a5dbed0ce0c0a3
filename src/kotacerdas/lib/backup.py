"""One archive with everything a deployment keeps: the database and every file in the storage.

``kotacerdas backup PATH`` writes a tar archive:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
  ``database.pgdump`` (``pg_dump`` in custom format, taken in the same snapshot as the counts);
- ``files/<name>`` for every file of the default storage (folder or S3 bucket);
- ``manifest.json``: engine, the row count of every table and the SHA-256 and size of every file
  and of the database dump.

``kotacerdas restore PATH`` checks the archive against its manifest, refuses anything but an
empty database of the same engine and an empty storage, restores both and checks the restored
row counts and file hashes against the manifest again.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
SKIPPED_PREFIXES = ("healthz/",)  # the health check's probe files live for milliseconds


class BackupError(Exception):
    """What is wrong with an archive or the place it should be restored into."""


def storage_files(storage=None, folder=""):
    """Every file name in the storage, sorted (a folder storage that does not exist yet is empty)."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += storage_files(storage, f"{folder}{sub}/")
    return sorted(name for name in names if not name.startswith(SKIPPED_PREFIXES))


def _sha256(handle):
    digest = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _quote(name):
    return connection.ops.quote_name(name)


def table_counts(cursor, tables):
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_params():
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args + ["-d", db["NAME"]], env


def _tool_major(tool):
    found = shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} is not installed (PostgreSQL client programs are needed).")
    version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", version)
    return found, int(match.group(1)), version.strip()


def _check_tool_version(tool):
    found, major, version = _tool_major(tool)
    connection.ensure_connection()
    server = connection.pg_version // 10000
    if major < server:
        raise BackupError(f"{version} is older than the database server (PostgreSQL {server}); install the client of version {server} or newer.")
    return found, version


def _dump_database(folder):
    """Dump the database into ``folder``; returns (file name, row counts, details)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = folder / "database.sqlite3"
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            tables = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            counts = {table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in sorted(tables)}
        finally:
            copy.close()
        return target.name, counts, {"sqlite_version": sqlite3.sqlite_version}
    if connection.vendor == "postgresql":
        pg_dump, version = _check_tool_version("pg_dump")
        target = folder / "database.pgdump"
        args, env = _pg_params()
        # The counts and the dump see the same snapshot, even while the site keeps writing.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = table_counts(cursor, connection.introspection.table_names(cursor))
            result = subprocess.run([pg_dump, "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target), *args],
                                    env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target.name, counts, {"pg_dump": version, "server_version": connection.pg_version}
    raise BackupError(f"backups of {connection.vendor} databases are not supported")


def backup(path):
    """Write the archive to ``path``; returns its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "engine": connection.vendor,
                "kotacerdas_version": settings.KOTACERDAS_VERSION, "files": {}}
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(partial, "w") as archive:
        name, counts, details = _dump_database(Path(scratch))
        with open(Path(scratch) / name, "rb") as handle:
            digest, size = _sha256(handle)
        manifest.update(database={"file": name, "sha256": digest, "size": size, **details}, tables=counts)
        archive.add(Path(scratch) / name, arcname=name)
        for file_name in storage_files():
            with default_storage.open(file_name, "rb") as handle:
                digest, size = _sha256(handle)
            with default_storage.open(file_name, "rb") as handle:
                info = tarfile.TarInfo(f"files/{file_name}")
                info.size = size
                archive.addfile(info, handle)
            manifest["files"][file_name] = {"sha256": digest, "size": size}
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    partial.replace(path)  # a half-written archive never has the final name
    return manifest


def _read_manifest(archive):
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except KeyError:
        raise BackupError("the archive has no manifest.json: not a kotacerdas backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"archive format {manifest.get('format')} is not {FORMAT}")
    return manifest


def _check_member(archive, member_name, expected, what):
    try:
        handle = archive.extractfile(member_name)
    except KeyError:
        raise BackupError(f"{what} is listed in the manifest but missing from the archive") from None
    digest, size = _sha256(handle)
    if (digest, size) != (expected["sha256"], expected["size"]):
        raise BackupError(f"{what} does not match the manifest (SHA-256 {digest}, {size} bytes)")


def _existing_tables():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(path):
    """Restore the archive at ``path`` into this (empty) database and (empty) storage."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with tarfile.open(path, "r") as archive:
        manifest = _read_manifest(archive)
        if manifest["engine"] != connection.vendor:
            raise BackupError(f"the archive holds a {manifest['engine']} database; this site uses {connection.vendor}")
        # First check the whole archive, so a damaged one changes nothing.
        _check_member(archive, manifest["database"]["file"], manifest["database"], "the database dump")
        for name, expected in manifest["files"].items():
            _check_member(archive, f"files/{name}", expected, f"file {name}")
        if _existing_tables():
            raise BackupError("the database is not empty: restore into a new, empty database")
        if storage_files():
            raise BackupError("the storage is not empty: restore into an empty folder or bucket")
        with tempfile.TemporaryDirectory() as scratch:
            archive.extract(manifest["database"]["file"], scratch, filter="data")
            _load_database(Path(scratch) / manifest["database"]["file"])
        for name, expected in manifest["files"].items():
            saved = default_storage.save(name, File(archive.extractfile(f"files/{name}"), name=name))
            if saved != name:
                raise BackupError(f"the storage stored {name} as {saved}")
    return verify(manifest)


def _load_database(dump):
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(dump)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    pg_restore, _version = _check_tool_version("pg_restore")
    args, env = _pg_params()
    connection.close()
    result = subprocess.run([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def verify(manifest):
    """Compare this site's database and storage with ``manifest``; raises naming what differs."""
    with connection.cursor() as cursor:
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
    problems = []
    for table in sorted(set(counts) | set(manifest["tables"])):
        if counts.get(table) != manifest["tables"].get(table):
            problems.append(f"table {table}: {counts.get(table)} rows, the manifest says {manifest['tables'].get(table)}")
    for name, expected in manifest["files"].items():
        try:
            with default_storage.open(name, "rb") as handle:
                digest, size = _sha256(handle)
        except FileNotFoundError:
            problems.append(f"file {name} is missing")
            continue
        if digest != expected["sha256"]:
            problems.append(f"file {name}: SHA-256 {digest}, the manifest says {expected['sha256']}")
    if problems:
        raise BackupError("the restored site differs from the manifest:\n" + "\n".join(problems))
    return {"tables": len(counts), "rows": sum(counts.values()), "files": len(manifest["files"])}
