"""``kotacerdas demo``: a working platform with real regions and a demo phase, in one command."""

import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kotacerdas.accounts.demo import DEMO_LOGINS
from kotacerdas.lib.tabular import TableError

from ...builders import build_demo, load_reference


class Command(BaseCommand):
    help = "Migrate, load real regions and the demo phase, print the logins and serve the demo."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Set up without serving.")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))

    def handle(self, *args, no_serve, port, host, workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            reports, _selected = load_reference()
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        phase, created = build_demo()
        call_command("collectstatic", interactive=False, verbosity=0)

        base = f"http://{host}:{port}/"
        out = self.stdout
        out.write(self.style.SUCCESS("kotacerdas demo is ready."))
        out.write(f"  regions: {reports['regions']}")
        out.write(f"  demo phase: {phase.name} ({'created' if created else 'kept as it was'})")
        out.write(f"  database: {settings.DATABASES['default']['NAME']}")
        out.write("")
        out.write(f"  public site:   {base}")
        out.write(f"  API:           {base}api/v1/docs  (OpenAPI: {base}api/v1/openapi.json)")
        out.write(f"  log in at:     {base}accounts/login/")
        for role, username, password, *_rest in DEMO_LOGINS:
            out.write(f"    {role:<16} user {username!r:<12} password {password!r}")
        from kotacerdas.mentoring.demo import DEMO_MENTORS, DEMO_PASSWORD, mentored_operator_login

        mentored = mentored_operator_login()
        if mentored:
            username, code = mentored
            out.write(f"    {'operator ' + code:<16} user {username!r} password {DEMO_PASSWORD!r} (mentored by 'mentor')")
        others = [username for username, _institution in DEMO_MENTORS if username != "mentor"]
        out.write(f"    {'other mentors':<16} users {others[0]!r} … {others[-1]!r}, password {DEMO_PASSWORD!r}")
        out.write("  the public needs no login.")
        if no_serve:
            return
        self._serve(host, port, workers)

    def _serve(self, host, port, workers):
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment.")
        # One task worker beside the server (letters, imports, e-mails); gunicorn's exit hook
        # (kotacerdas.lib.gunicorn_config) stops it, and Ctrl+C reaches both anyway.
        worker = subprocess.Popen([sys.executable, "-m", "kotacerdas.cli", "db_worker", "--queue-name=*", "--no-reload"])
        os.environ["KOTACERDAS_DEMO_WORKER_PID"] = str(worker.pid)
        os.environ.setdefault("KOTACERDAS_LOG_FORMAT", "text")
        self.stdout.write(f"Serving on http://{host}:{port}/ with gunicorn ({workers} workers) and one task worker; Ctrl+C stops.")
        self.stdout.flush()
        os.execv(
            gunicorn,
            [
                gunicorn,
                "-c",
                "python:kotacerdas.lib.gunicorn_config",
                "kotacerdas.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
            ],
        )
