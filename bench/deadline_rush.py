"""Deadline rush: the 514 region operators save their readiness questionnaire at once.

Run: ``python bench/deadline_rush.py [--database sqlite|postgres|both] [--seconds 25]
[--connections 50] [--workers 4]``.

For each database the platform is served as deployed (gunicorn, several sync workers, DEBUG off)
on a free port of 127.0.0.1, with a temporary ``KOTACERDAS_VAR_DIR`` (SQLite: a file database in
it) or a temporary PostgreSQL database on 127.0.0.1:5432 (user postgres), dropped at the end.
A preparing step migrates, loads the reference data, attaches the shipped readiness form to a
phase every kabupaten/kota is invited to (open deadline) and creates one operator with an API
token per kabupaten/kota. The load client, a process of its own, keeps ``--connections``
requests in flight for ``--seconds``: each connection saves answers for its share of the 514
regions through the real save endpoint (``POST /api/v1/questionnaires/<id>/regions/<code>``,
with the revision it was last acknowledged) and every fourth request asks for ``/healthz``, the
trivial page, under the same load. Afterwards every acknowledged answer (the last value and
revision per region and question) is looked up in the database.

Targets, per database: no error and no lost answer, and the 99th percentile of a save at most
3 times that of the trivial page; PASS/MISS is printed for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
HOST = "127.0.0.1"
RATIO_TARGET = 3.0
TRIVIAL_EVERY = 4  # every fourth request of a connection is the trivial page
MAX_REQUESTS_PER_CONNECTION = 100_000  # a bound on the loops besides the time
REQUEST_TIMEOUT = 30.0
# Questions of the shipped readiness form (kesiapan_smart_city.xlsx) the operators keep changing:
# always relevant, written by the region (no calculation).
TEXT_KEYS = ["kebijakan_catatan", "visi_unggulan", "integrasi_contoh"]
NUMBER_KEYS = ["komitmen_rapat", "infra_titik_wifi", "integrasi_jumlah"]
KEYS = TEXT_KEYS + NUMBER_KEYS


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- steps run with Django, in a subprocess per database ---------------------------------------


def _django():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()


def step_prepare(plan_path):
    """Migrate, load the reference data, attach the form and create the 514 operators; write
    {assignment, regions: [[code, token], ...]} to ``plan_path``."""
    _django()
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from kotacerdas.accounts.models import Profile, Role, RoleGrant
    from kotacerdas.accounts.services import create_token
    from kotacerdas.program.models import Participation, Phase, ParticipationStatus
    from kotacerdas.questionnaires import services
    from kotacerdas.questionnaires.demo_form import WORKBOOK
    from kotacerdas.regions.models import Region
    from kotacerdas.regions.reference import load_reference_data

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference_data()
    log(f"  migrated and loaded the reference data in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    User = get_user_model()
    regions = list(Region.objects.kabkota().order_by("code"))
    with transaction.atomic():
        phase = Phase.objects.create(year=2099, name="Tahap Uji Beban 2099", quota=100, is_demo=True)
        Participation.objects.bulk_create([Participation(phase=phase, region=r, status=ParticipationStatus.INVITED) for r in regions])
        version = services.import_form(WORKBOOK.read_bytes(), WORKBOOK.name)
        now = timezone.now()
        assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(hours=6))
        # Accounts in bulk (no password: they use API tokens; hashing 514 passwords is not what
        # is measured here).
        users = [User(username=f"operator-{r.code}", email=f"operator-{r.code}@bench.invalid", password="!") for r in regions]
        User.objects.bulk_create(users)
        users = {u.username: u for u in User.objects.filter(username__startswith="operator-")}
        Profile.objects.bulk_create([Profile(user=u) for u in users.values()])
        RoleGrant.objects.bulk_create([RoleGrant(user=users[f"operator-{r.code}"], role=Role.OPERATOR, region=r) for r in regions])
        tokens = [[r.code, create_token(users[f"operator-{r.code}"], "deadline rush")[1]] for r in regions]
    log(f"  created the phase, the form and {len(tokens)} operators with tokens in {time.perf_counter() - started:.1f} s")
    Path(plan_path).write_text(json.dumps({"assignment": assignment.pk, "regions": tokens}))


def step_verify(plan_path, acked_path):
    """Compare the acknowledged answers with the database; print {checked, lost, examples}."""
    _django()
    from kotacerdas.questionnaires.models import Answer

    plan = json.loads(Path(plan_path).read_text())
    acked = json.loads(Path(acked_path).read_text())
    stored = {
        (code, key): (value, revision)
        for code, key, value, revision in Answer.objects.filter(submission__assignment_id=plan["assignment"], key__in=KEYS)
        .values_list("submission__region__code", "key", "value", "revision")
    }
    lost, examples = 0, []
    for code, answers in acked["acked"].items():
        for key, (value, revision) in answers.items():
            if stored.get((code, key)) != (value, revision):
                # A request that failed after the server had saved it may have written later.
                if stored.get((code, key), ("",))[0] in acked["unacked"].get(code, {}).get(key, []):
                    continue
                lost += 1
                if len(examples) < 5:
                    examples.append({"region": code, "key": key, "acked": [value, revision], "stored": stored.get((code, key))})
    checked = sum(len(a) for a in acked["acked"].values())
    print(json.dumps({"checked": checked, "lost": lost, "examples": examples}))


# --- the load client: one process, asyncio, raw HTTP/1.1 on loopback ---------------------------


async def _request(port, method, path, body=b"", headers=()):
    """(status, body bytes) of one request on a new connection (gunicorn's sync workers close
    each connection after its response)."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close", "Accept: application/json"]
        head += [f"{name}: {value}" for name, value in headers]
        if body:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        response = await reader.read()  # to the end: the server closes
    finally:
        writer.close()
    status_line, _sep, rest = response.partition(b"\r\n")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ConnectionError(f"no HTTP response ({status_line[:60]!r})")
    _headers, _sep, payload = rest.partition(b"\r\n\r\n")
    return int(parts[1]), payload


async def _connection(number, port, plan, deadline, state):
    assignment = plan["assignment"]
    mine = [(code, token) for i, (code, token) in enumerate(plan["regions"]) if i % state["connections"] == number]
    revisions = {}  # (code, key) -> the revision last acknowledged
    saves = 0
    for n in range(MAX_REQUESTS_PER_CONNECTION):
        if time.monotonic() >= deadline:
            break
        if n % TRIVIAL_EVERY == TRIVIAL_EVERY - 1:
            started = time.perf_counter()
            try:
                status, _payload = await asyncio.wait_for(_request(port, "GET", "/healthz"), REQUEST_TIMEOUT)
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                state["errors"].append(f"healthz: {type(exc).__name__}: {exc}")
                continue
            state["trivial"].append(time.perf_counter() - started)
            if status != 200:
                state["errors"].append(f"healthz: HTTP {status}")
            continue
        code, token = mine[saves % len(mine)]
        saves += 1
        # Two of the six questions per save, a new value each time.
        keys = [KEYS[n % len(KEYS)], KEYS[(n + 3) % len(KEYS)]]
        answers = {}
        for key in keys:
            value = f"{code} catatan {n}" if key in TEXT_KEYS else str(n % 300)
            answers[key] = {"value": value, "revision": revisions.get((code, key), 0)}
        body = json.dumps({"answers": answers}).encode()
        path = f"/api/v1/questionnaires/{assignment}/regions/{code}"
        started = time.perf_counter()
        try:
            status, payload = await asyncio.wait_for(
                _request(port, "POST", path, body, [("Authorization", f"Bearer {token}")]), REQUEST_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            state["errors"].append(f"save: {type(exc).__name__}: {exc}")
            for key, answer in answers.items():
                state["unacked"].setdefault(code, {}).setdefault(key, []).append(answer["value"])
            continue
        state["save"].append(time.perf_counter() - started)
        if status != 200:
            state["errors"].append(f"save: HTTP {status}: {payload[:200].decode('utf-8', 'replace')}")
            for key, answer in answers.items():
                state["unacked"].setdefault(code, {}).setdefault(key, []).append(answer["value"])
            continue
        saved = json.loads(payload)["saved"]
        for key, answer in answers.items():
            if key in saved:
                revisions[(code, key)] = saved[key]
                state["acked"].setdefault(code, {})[key] = [answer["value"], saved[key]]
            elif answer["value"] != state["acked"].get(code, {}).get(key, [None])[0]:
                state["errors"].append(f"save: {code} {key} not saved and not a conflict")


async def _load(port, plan, seconds, connections):
    state = {"save": [], "trivial": [], "errors": [], "acked": {}, "unacked": {}, "connections": connections}
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_connection(i, port, plan, deadline, state) for i in range(connections)))
    state["elapsed"] = time.monotonic() - started
    return state


def step_load(port, plan_path, out_path, seconds, connections):
    plan = json.loads(Path(plan_path).read_text())
    state = asyncio.run(_load(port, plan, seconds, connections))
    state.pop("connections")
    Path(out_path).write_text(json.dumps(state))


# --- the driver --------------------------------------------------------------------------------


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _pg_admin(statement):
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as connection:
        connection.execute(statement)


def _run_step(env, *args, timeout=240):
    process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--step", *args], env=env,
                             stdout=subprocess.PIPE, text=True, timeout=timeout)
    if process.returncode:
        raise SystemExit(f"step {args[0]} failed (exit {process.returncode}):\n{process.stdout}")
    return process.stdout


def _wait_healthy(port, server, limit=30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer /healthz within {limit:.0f} s")


def _warm_up(port, plan, workers):
    """Load each worker's lazily imported code (URLs, the API) before measuring: a few reads of
    the API and /healthz, a handful per worker, not counted."""
    code, token = plan["regions"][0]
    for _ in range(3 * workers):
        request = urllib.request.Request(f"http://{HOST}:{port}/api/v1/questionnaires/{plan['assignment']}/regions/{code}",
                                         headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=REQUEST_TIMEOUT) as response:
            response.read()


def _stop(server):
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # gunicorn's own group: the master and its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[index]


def run_database(database, args):
    with tempfile.TemporaryDirectory(prefix=f"kc-rush-{database}-") as var_dir:
        env = dict(os.environ, KOTACERDAS_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="kotacerdas.settings",
                   PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   KOTACERDAS_ALLOWED_HOSTS="127.0.0.1")
        for name in ("DATABASE_URL", "KOTACERDAS_DEBUG", "KOTACERDAS_HTTPS"):
            env.pop(name, None)
        db_name, server = None, None
        if database == "postgres":
            db_name = f"kc_rush_{os.getpid()}"
            _pg_admin(f'CREATE DATABASE "{db_name}"')
            env["DATABASE_URL"] = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{db_name}"
        try:
            plan_path, out_path = Path(var_dir, "plan.json"), Path(var_dir, "load.json")
            log(f"[{database}] preparing ...")
            _run_step(env, "prepare", "--plan", str(plan_path))
            plan = json.loads(plan_path.read_text())
            port = _free_port()
            gunicorn = Path(sys.executable).with_name("gunicorn")
            log(f"[{database}] gunicorn on {HOST}:{port} with {args.workers} workers, {args.connections} connections for {args.seconds} s ...")
            server = subprocess.Popen(
                [str(gunicorn), "kotacerdas.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(args.workers),
                 "--backlog", "2048", "--timeout", "60", "--log-level", "warning"],
                env=env, cwd=var_dir, start_new_session=True,
            )
            _wait_healthy(port, server)
            _warm_up(port, plan, args.workers)
            _run_step(env, "load", "--port", str(port), "--plan", str(plan_path), "--out", str(out_path),
                      "--seconds", str(args.seconds), "--connections", str(args.connections), timeout=args.seconds + 120)
            _stop(server)
            server = None
            load = json.loads(out_path.read_text())
            verify = json.loads(_run_step(env, "verify", "--plan", str(plan_path), "--out", str(out_path)).strip().splitlines()[-1])
        finally:
            _stop(server)
            if db_name:
                _pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    save, trivial = load["save"], load["trivial"]
    return {
        "database": database, "requests": len(save) + len(trivial) + len(load["errors"]), "saves": len(save),
        "trivial": len(trivial), "errors": len(load["errors"]), "error_examples": load["errors"][:5],
        "elapsed": load["elapsed"], "checked": verify["checked"], "lost": verify["lost"], "lost_examples": verify["examples"],
        "save_ms": [1000 * percentile(save, p) for p in (50, 95, 99)],
        "trivial_ms": [1000 * percentile(trivial, p) for p in (50, 95, 99)],
        "save_mean_ms": 1000 * statistics.fmean(save) if save else float("nan"),
    }


def print_result(r, args):
    ratio = r["save_ms"][2] / r["trivial_ms"][2] if r["trivial_ms"][2] else float("inf")
    print(f"\n== {r['database']}: {args.workers} gunicorn workers, {args.connections} connections, {r['elapsed']:.1f} s ==")
    print(f"requests {r['requests']} ({r['requests'] / r['elapsed']:.0f}/s): saves {r['saves']}, trivial page {r['trivial']}")
    print(f"errors {r['errors']}" + (f"  e.g. {r['error_examples']}" if r["errors"] else ""))
    print(f"answers checked {r['checked']}, lost {r['lost']}" + (f"  e.g. {r['lost_examples']}" if r["lost"] else ""))
    print("                      p50 ms   p95 ms   p99 ms")
    print("save (API)          " + "".join(f"{v:9.1f}" for v in r["save_ms"]))
    print("trivial (/healthz)  " + "".join(f"{v:9.1f}" for v in r["trivial_ms"]))
    print(f"p99 save / p99 trivial = {ratio:.2f}")
    ok_errors = r["errors"] == 0 and r["lost"] == 0 and r["saves"] > 0
    ok_ratio = ratio <= RATIO_TARGET
    print(f"{'PASS' if ok_errors else 'MISS'}  no error and no lost answer with {args.connections} connections at once")
    print(f"{'PASS' if ok_ratio else 'MISS'}  p99 of a save <= {RATIO_TARGET:g} x p99 of the trivial page ({ratio:.2f})")
    return ok_errors and ok_ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=25.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--step", choices=("prepare", "load", "verify"), help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        return step_prepare(args.plan)
    if args.step == "load":
        return step_load(args.port, args.plan, args.out, args.seconds, args.connections)
    if args.step == "verify":
        return step_verify(args.plan, args.out)
    if not 1 <= args.seconds <= 120 or not 1 <= args.connections <= 514:
        parser.error("--seconds must be 1..120 and --connections 1..514")
    started = time.monotonic()
    results = [run_database(database, args) for database in (["sqlite", "postgres"] if args.database == "both" else [args.database])]
    passed = [print_result(r, args) for r in results]
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
