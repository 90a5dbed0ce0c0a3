"""deploy/ holds what an operator needs, and it agrees with the code: every timer starts a
service, every unit runs a command that exists, every variable of the example environment is
documented, nginx accepts the uploads the application accepts, and the deployment check passes
with the example environment."""

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def _unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read(path)
    return parser


def _example_environment():
    lines = (DEPLOY / "kotacerdas.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_every_timer_starts_a_service_that_exists():
    timers = sorted(DEPLOY.glob("*.timer"))
    assert [t.stem for t in timers] == ["kotacerdas-backup", "kotacerdas-daily", "kotacerdas-mentoring-alerts"]
    for timer in timers:
        assert (DEPLOY / f"{timer.stem}.service").exists()
        assert _unit(timer)["Timer"]["OnCalendar"]


@pytest.mark.parametrize("unit", sorted(p.name for p in DEPLOY.glob("*.service")))
def test_every_unit_runs_a_kotacerdas_command_that_exists(unit):
    service = _unit(DEPLOY / unit)["Service"]
    assert service["EnvironmentFile"] == "/etc/kotacerdas/kotacerdas.env"
    command = service["ExecStart"]
    if "gunicorn" in command:
        assert "python:kotacerdas.lib.gunicorn_config" in command and "kotacerdas.wsgi:application" in command
        return
    name = re.search(r"bin/kotacerdas (\w+)", command).group(1)
    assert name in get_commands(), f"{unit} runs `kotacerdas {name}`, which does not exist"


def test_every_variable_of_the_example_is_documented():
    readme = (DEPLOY / "README.md").read_text()
    missing = [name for name in _example_environment() if name not in readme]
    assert missing == []


def test_nginx_accepts_the_largest_upload_the_application_accepts(settings):
    from kotacerdas.questionnaires.services import evidence_max_bytes

    conf = (DEPLOY / "nginx" / "kotacerdas.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1)) * 1024 * 1024
    assert limit > evidence_max_bytes()
    assert "ssl_certificate " in conf and "location /static/" in conf and "proxy_read_timeout" in conf
    # nginx waits longer than gunicorn, so a slow request ends with the application's answer.
    from kotacerdas.lib import gunicorn_config

    assert int(re.search(r"proxy_read_timeout (\d+)s;", conf).group(1)) > gunicorn_config.timeout


def test_the_deployment_check_passes_with_the_example_environment(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KOTACERDAS_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(_example_environment())
    env.update(KOTACERDAS_VAR_DIR=str(tmp_path), PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
               KOTACERDAS_SECRET_KEY="k7#Qw2!zP9xL4mN8vB3cR6tY1uI5oA0sD2fG7hJ4kL9zX3cV8bN1mQ6wE5rT0y")
    result = subprocess.run([sys.executable, "-m", "kotacerdas.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
