"""Helpers for the tests of every app (no test runs from here)."""

import io


def xlsx_upload(rows, name="table.xlsx"):
    """An uploaded .xlsx file (first sheet, ``rows`` as given, the header first), as a page or an
    import receives one."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_with_sheet_xml(rows_xml, *, dimension="A1:A1", shared_strings=None, sheet_name="survey"):
    """An .xlsx workbook (bytes) written part by part, for sizes openpyxl would take minutes to
    write: ``rows_xml`` is an iterable of ``<row>`` elements (text), ``shared_strings`` an
    iterable of text chunks making up one shared string (index 0). Parts are streamed into the
    zip, so a 200 MB cell costs no 200 MB in memory."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}"><si><t>'.encode())
            for chunk in shared_strings or ["type"]:
                part.write(chunk.encode())
            part.write(b"</t></si></sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><dimension ref="{dimension}"/><sheetData>'.encode())
            for row in rows_xml:
                part.write(row.encode())
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


class Deployment:
    """A throwaway installation driven as an operator drives one: the ``kotacerdas`` command in
    other processes, its own folder, its own database on the engine the suite runs on (a new
    PostgreSQL database when ``DATABASE_URL`` is PostgreSQL, a SQLite file otherwise).

    The tests of workers, backups and several app servers need processes that share a real
    database, which the test database of pytest-django (in memory for SQLite) is not.
    """

    def __init__(self, root, name="site", *, database_url=None, storage_url=None, **environment):
        import os
        import sys
        import uuid
        from pathlib import Path

        self.root = Path(root) / name
        self.root.mkdir(parents=True, exist_ok=True)
        self.python_executable = sys.executable
        suite_url = os.environ.get("DATABASE_URL", "")
        self.engine = "postgresql" if suite_url.startswith("postgres") else "sqlite"
        self._created_database = None
        if database_url is None:
            if self.engine == "postgresql":
                base, _sep, database = suite_url.rpartition("/")
                self._created_database = f"{database.split('?')[0]}_{name}_{uuid.uuid4().hex[:8]}".lower()
                self._admin_url = f"{base}/postgres"
                self._execute_admin(f'CREATE DATABASE "{self._created_database}"')
                database_url = f"{base}/{self._created_database}"
            else:
                database_url = f"sqlite:///{self.root / 'kotacerdas.sqlite3'}"
        self.database_url = database_url
        self.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("KOTACERDAS_", "DJANGO_", "PYTEST_")) and key != "DATABASE_URL"
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="kotacerdas.settings",
            KOTACERDAS_VAR_DIR=str(self.root / "var"),
            KOTACERDAS_SECRET_KEY="a-test-secret-shared-by-every-process-of-this-deployment-0123456789",
            DATABASE_URL=database_url,
            KOTACERDAS_LOG_LEVEL="WARNING",
        )
        if storage_url:
            self.env["KOTACERDAS_STORAGE_URL"] = storage_url
        self.env.update({key: str(value) for key, value in environment.items()})

    def _execute_admin(self, statement):
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True) as connection:
            connection.execute(statement)

    def command(self, *args):
        return [self.python_executable, "-m", "kotacerdas.cli", *args]

    def run(self, *args, check=True, timeout=600, env=None):
        """Run ``kotacerdas ARGS`` to the end; fails the test with its output when it fails."""
        import subprocess

        result = subprocess.run(self.command(*args), env={**self.env, **(env or {})}, capture_output=True, text=True,
                                timeout=timeout, cwd=self.root)
        if check and result.returncode != 0:
            raise AssertionError(f"kotacerdas {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def start(self, *args, env=None, log_name=None):
        """Start ``kotacerdas ARGS`` in the background (its output goes to a file in the folder)."""
        import subprocess

        log = open(self.root / (log_name or f"{args[0]}.log"), "ab")
        return subprocess.Popen(self.command(*args), env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                                cwd=self.root)

    def python(self, code):
        """Run Python ``code`` inside the deployment's Django; returns what it assigned to ``result``
        (anything JSON can carry)."""
        import json
        import subprocess

        program = (
            "import django, json\ndjango.setup()\nresult = None\n" + code + "\nprint('\\n@@' + json.dumps(result, default=str))\n"
        )
        out = subprocess.run([self.python_executable, "-c", program], env=self.env, capture_output=True, text=True,
                             timeout=600, cwd=self.root)
        if out.returncode != 0:
            raise AssertionError(f"code failed in the deployment:\n{code}\n{out.stderr}")
        return json.loads(out.stdout.rsplit("\n@@", 1)[1])

    def drop(self):
        if self._created_database:
            self._execute_admin(f'DROP DATABASE IF EXISTS "{self._created_database}" WITH (FORCE)')
            self._created_database = None


def wait_until(condition, what, timeout=120, interval=0.2):
    """Poll ``condition`` until it returns something true (returned); fail naming ``what``.
    The limit only keeps a broken test from hanging: nothing is asserted about the time taken."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(interval)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    """A real S3 server (moto's) on a free loopback port, in its own process, with one bucket."""

    CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}

    def __init__(self, log_folder, bucket="kotacerdas"):
        self.log_folder = log_folder
        self.bucket = bucket
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.storage_url = f"s3://{bucket}?endpoint_url={self.endpoint}&region_name=us-east-1"

    def __enter__(self):
        import os
        import subprocess
        import sys
        import urllib.request

        log = open(os.path.join(self.log_folder, "moto.log"), "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.CREDENTIALS},
        )

        def answers():
            try:
                urllib.request.urlopen(self.endpoint, timeout=2)
                return True
            except OSError:
                return self.process.poll() is not None and AssertionError("moto server exited")

        wait_until(answers, "the S3 server to answer", timeout=60)
        self.client().create_bucket(Bucket=self.bucket)
        return self

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def keys(self):
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

