"""A cluster on one machine survives a killed app server and a killed task worker.

    .venv/bin/python bench/cluster.py [--seconds 45] [--connections 30] [--web-workers 2] [--tasks-per-second 1]

On a temporary PostgreSQL database ``kc_scale_cluster_*`` (127.0.0.1:5432, user postgres, dropped at
the end) and a temporary ``KOTACERDAS_VAR_DIR`` shared by every process (as the object storage
would be): three app servers as deployed (gunicorn with ``kotacerdas.lib.gunicorn_config``, each
``--web-workers`` processes, DEBUG off) on three free ports, and two task workers (``kotacerdas
db_worker``, ids ``bench-1`` and ``bench-2``, heartbeat every 2 s, a worker counts as dead after
8 s without one). Preparing: migrate, the reference data, the shipped readiness form attached to
a phase every kabupaten/kota is invited to, one operator with an API token per kabupaten/kota
(as bench/deadline_rush.py), and the daily open data snapshot task (``reports.tasks.
snapshot_open_data``, a folder per task) enqueued ``--tasks-per-second`` times per second of the
run, each to run after its second.

The load client (one process, asyncio) keeps ``--connections`` requests in flight for
``--seconds``, spread round-robin over the three servers as a proxy would: each connection saves
answers for its share of the 514 regions through the real save endpoint (with the revision last
acknowledged), and every fourth request reads the national dashboard (``GET /``). A request
refused at connect (the server is down) goes to the next server, as nginx does with an upstream
that refuses; a request that fails after it was sent counts as an error seen by the client.

At a third of the run, the second app server (its whole process group: master and workers) and
the second task worker (while it runs a task) are killed with SIGKILL; at two thirds both start
again (same port, same worker id, as systemd restarts them). After the run, the queue is given
up to ``--drain`` seconds to empty.

Prints: requests, retried connects, errors seen by clients, answers checked and lost (every answer
a client saw acknowledged must be in the database), p50/p99 latency per part of the run (before
the kill, one server and one worker down, after the restart) for saves and dashboard reads, and
the tasks finished, failed and left against those queued. Targets: no answer lost, every task
finished, and no error seen by clients beyond the requests in flight on the killed server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import deadline_rush as rush  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HOST = rush.HOST
SERVERS = 3
TASK_WORKERS = 2
READ_EVERY = 4  # every fourth request of a connection reads the dashboard
PARTS = ("before the kill", "one server and one worker down", "after the restart")


# --- steps run with Django, in subprocesses -------------------------------------------------------


def step_enqueue(plan_path, seconds, per_second):
    """Enqueue the snapshot task ``per_second`` times per second over the next ``seconds``."""
    rush._django()
    from django.utils import timezone

    from kotacerdas.lib.jobs.services import enqueue
    from kotacerdas.reports.tasks import snapshot_open_data

    now = timezone.now()
    count = int(seconds * per_second)
    ids = []
    for i in range(count):
        when = now + datetime.timedelta(seconds=i / per_second)
        progress = enqueue(snapshot_open_data.using(run_after=when), day=f"bench-{i:04d}", label="bench snapshot")
        ids.append(progress.task_id)
    plan = json.loads(Path(plan_path).read_text())
    plan["tasks"] = ids
    Path(plan_path).write_text(json.dumps(plan))


def step_tasks(plan_path):
    """{status: count} of the tasks the plan enqueued, and how many ran more than once."""
    rush._django()
    from django_tasks_db.models import DBTaskResult

    plan = json.loads(Path(plan_path).read_text())
    counts, retried = {}, 0
    for status, worker_ids in DBTaskResult.objects.filter(pk__in=plan["tasks"]).values_list("status", "worker_ids"):
        counts[status] = counts.get(status, 0) + 1
        retried += len(worker_ids or []) > 1
    print(json.dumps({"queued": len(plan["tasks"]), "counts": counts, "retried": retried}))


# --- the load client -------------------------------------------------------------------------------


async def _send(ports, turn, method, path, body=b"", headers=(), state=None):
    """One request to the next server in turn; a refused connect goes on to the next server.
    Returns (status, payload)."""
    for attempt in range(len(ports)):
        port = ports[(turn + attempt) % len(ports)]
        try:
            return await asyncio.wait_for(rush._request(port, method, path, body, headers), rush.REQUEST_TIMEOUT)
        except ConnectionRefusedError:
            state["retried_connects"] += 1
    raise ConnectionRefusedError("every server refused")


async def _connection(number, ports, plan, deadline, state):
    mine = [(code, token) for i, (code, token) in enumerate(plan["regions"]) if i % state["connections"] == number]
    revisions = {}
    saves = 0
    for n in range(rush.MAX_REQUESTS_PER_CONNECTION):
        if time.monotonic() >= deadline:
            break
        turn = number + n
        at = time.time()
        if n % READ_EVERY == READ_EVERY - 1:
            started = time.perf_counter()
            try:
                status, _payload = await _send(ports, turn, "GET", "/", state=state)
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                state["errors"].append([at, f"dashboard: {type(exc).__name__}: {exc}"])
                continue
            if status != 200:
                state["errors"].append([at, f"dashboard: HTTP {status}"])
            else:
                state["read"].append([at, time.perf_counter() - started])
            continue
        code, token = mine[saves % len(mine)]
        saves += 1
        keys = [rush.KEYS[n % len(rush.KEYS)], rush.KEYS[(n + 3) % len(rush.KEYS)]]
        answers = {}
        for key in keys:
            value = f"{code} catatan {n}" if key in rush.TEXT_KEYS else str(n % 300)
            answers[key] = {"value": value, "revision": revisions.get((code, key), 0)}
        body = json.dumps({"answers": answers}).encode()
        path = f"/api/v1/questionnaires/{plan['assignment']}/regions/{code}"
        started = time.perf_counter()
        try:
            status, payload = await _send(ports, turn, "POST", path, body, [("Authorization", f"Bearer {token}")], state)
        except Exception as exc:  # noqa: BLE001
            status, payload = None, f"{type(exc).__name__}: {exc}".encode()
        if status not in (200, 409):  # 409: a conflict, answered with what was saved and the revisions
            state["errors"].append([at, f"save: {status or ''} {payload[:200].decode('utf-8', 'replace')}"])
            for key, answer in answers.items():
                state["unacked"].setdefault(code, {}).setdefault(key, []).append(answer["value"])
            continue
        try:
            reply = json.loads(payload)
        except ValueError:  # a reply cut short (its worker killed or timed out while sending it)
            state["errors"].append([at, f"save: HTTP {status} with an unreadable body {payload[:80]!r}"])
            for key, answer in answers.items():
                state["unacked"].setdefault(code, {}).setdefault(key, []).append(answer["value"])
            continue
        state["save"].append([at, time.perf_counter() - started])
        saved = reply["saved"]
        # A conflict comes only from a save of ours that landed while its response was lost (its
        # server killed): take the stored revision, as the page does when it reloads.
        theirs = {c["key"]: c["revision"] for c in reply.get("conflicts", [])}
        state["conflicts"] += len(theirs)
        for key, answer in answers.items():
            if key in saved:
                revisions[(code, key)] = saved[key]
                state["acked"].setdefault(code, {})[key] = [answer["value"], saved[key]]
            elif key in theirs:
                revisions[(code, key)] = theirs[key]
                state["unacked"].setdefault(code, {}).setdefault(key, []).append(answer["value"])
            else:
                state["errors"].append([at, f"save: {code} {key} neither saved nor a conflict"])


async def _load(ports, plan, seconds, connections):
    state = {"save": [], "read": [], "errors": [], "acked": {}, "unacked": {}, "connections": connections,
             "retried_connects": 0, "conflicts": 0}
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_connection(i, ports, plan, deadline, state) for i in range(connections)))
    return state


def step_load(ports, plan_path, out_path, seconds, connections):
    plan = json.loads(Path(plan_path).read_text())
    state = asyncio.run(_load(ports, plan, seconds, connections))
    state.pop("connections")
    Path(out_path).write_text(json.dumps(state))


# --- the driver ----------------------------------------------------------------------------------


def summarise(load, events, verify, tasks, seconds):
    """The figures of a run: totals, and per part of the run (split at the kill and the restart
    wall-clock times in ``events``) the count and p50/p99 of saves and dashboard reads."""
    bounds = [float("-inf"), events["kill"], events["restart"], float("inf")]

    def part(samples, i):
        return [s for t, s in samples if bounds[i] <= t < bounds[i + 1]]

    parts = []
    for i, name in enumerate(PARTS):
        save, read = part(load["save"], i), part(load["read"], i)
        errors = [message for t, message in load["errors"] if bounds[i] <= t < bounds[i + 1]]
        parts.append({"part": name, "saves": len(save), "reads": len(read), "errors": len(errors),
                      "save_ms": [1000 * rush.percentile(save, p) for p in (50, 99)],
                      "read_ms": [1000 * rush.percentile(read, p) for p in (50, 99)]})
    done = tasks["counts"].get("SUCCESSFUL", 0) + tasks["counts"].get("SUCCEEDED", 0)
    return {
        "requests": len(load["save"]) + len(load["read"]) + len(load["errors"]), "seconds": seconds,
        "errors": len(load["errors"]), "error_examples": [m for _t, m in load["errors"][:5]],
        "retried_connects": load["retried_connects"], "conflicts": load["conflicts"],
        "checked": verify["checked"], "lost": verify["lost"], "lost_examples": verify["examples"],
        "parts": parts, "tasks_queued": tasks["queued"], "tasks_finished": done, "tasks_counts": tasks["counts"],
        "tasks_retried": tasks["retried"], "killed_worker_was_running": events.get("worker_running"),
        "ready_after": events.get("ready_after"),
    }


def print_summary(r, out=sys.stdout):
    print(f"requests {r['requests']} in {r['seconds']:.0f} s ({r['requests'] / r['seconds']:.0f}/s); "
          f"connects refused and sent to the next server {r['retried_connects']}", file=out)
    print(f"errors seen by clients {r['errors']}" + (f"  e.g. {r['error_examples']}" if r["errors"] else ""), file=out)
    print(f"answers acknowledged and checked {r['checked']}, lost {r['lost']}"
          + (f"  e.g. {r['lost_examples']}" if r["lost"] else ""), file=out)
    print(f"conflicts answered (a save that landed while its response was lost) {r['conflicts']}", file=out)
    print(f"{'part of the run':34s} {'saves':>6s} {'reads':>6s} {'errors':>6s}  save p50/p99 ms   dashboard p50/p99 ms", file=out)
    for p in r["parts"]:
        print(f"{p['part']:34s} {p['saves']:6d} {p['reads']:6d} {p['errors']:6d}  {p['save_ms'][0]:7.1f} {p['save_ms'][1]:7.1f}"
              f"     {p['read_ms'][0]:7.1f} {p['read_ms'][1]:7.1f}", file=out)
    if r.get("ready_after") is not None:
        print(f"the restarted app server answered its first request {r['ready_after']:.1f} s after it was started", file=out)
    print(f"tasks queued {r['tasks_queued']}, finished {r['tasks_finished']}, by status {r['tasks_counts']}, "
          f"run more than once {r['tasks_retried']}; the killed worker was running a task: "
          f"{'yes' if r['killed_worker_was_running'] else 'no'}", file=out)
    # Errors are allowed only for requests in flight on the killed server (one per connection at most).
    checks = [
        (r["lost"] == 0 and r["checked"] > 0, "no acknowledged answer lost"),
        (r["tasks_finished"] == r["tasks_queued"], "every queued task finished"),
        (r["errors"] <= r["connections"],
         "errors seen by clients only for requests in flight on the killed server"),
    ]
    for ok, text in checks:
        print(f"{'PASS' if ok else 'MISS'}  {text}", file=out)
    return all(ok for ok, _text in checks)


def _start_server(env, port, workers, var_dir):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(
        [str(gunicorn), "-c", "python:kotacerdas.lib.gunicorn_config", "kotacerdas.wsgi:application",
         "--backlog", "2048", "--log-level", "warning"],
        env=dict(env, KOTACERDAS_BIND=f"{HOST}:{port}", WEB_CONCURRENCY=str(workers)), cwd=var_dir, start_new_session=True,
    )


def _start_worker(env, number, var_dir):
    kotacerdas = Path(sys.executable).with_name("kotacerdas")
    return subprocess.Popen([str(kotacerdas), "db_worker", "--queue-name=*", f"--worker-id=bench-{number}", "--interval", "0.5"],
                            env=env, cwd=var_dir, start_new_session=True, stdout=subprocess.DEVNULL)


def _kill(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def _step(env, *args, timeout=240):
    process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--step", *args], env=env,
                             stdout=subprocess.PIPE, text=True, timeout=timeout)
    if process.returncode:
        raise SystemExit(f"step {args[0]} failed (exit {process.returncode}):\n{process.stdout}")
    return process.stdout


def run(args):
    name = f"kc_scale_cluster_{os.getpid()}"
    servers, workers = [None] * SERVERS, [None] * TASK_WORKERS
    with tempfile.TemporaryDirectory(prefix="kc-cluster-") as var_dir:
        env = dict(os.environ, KOTACERDAS_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="kotacerdas.settings",
                   PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   KOTACERDAS_ALLOWED_HOSTS="127.0.0.1", KOTACERDAS_WORKER_HEARTBEAT="2", KOTACERDAS_WORKER_TIMEOUT="8",
                   KOTACERDAS_REQUEST_LOG_LEVEL="WARNING",
                   DATABASE_URL=f"postgres://{rush.PG_USER}@{rush.PG_HOST}:{rush.PG_PORT}/{name}")
        for variable in ("KOTACERDAS_DEBUG", "KOTACERDAS_HTTPS"):
            env.pop(variable, None)
        rush._pg_admin(f'CREATE DATABASE "{name}"')
        try:
            plan_path, out_path = Path(var_dir, "plan.json"), Path(var_dir, "load.json")
            rush.log("preparing (migrate, reference data, form, 514 operators) ...")
            _step(env, "prepare", "--plan", str(plan_path), timeout=900)  # migrate: minutes on a loaded machine
            plan = json.loads(plan_path.read_text())
            ports = [rush._free_port() for _ in range(SERVERS)]
            rush.log(f"{SERVERS} app servers on ports {ports} ({args.web_workers} workers each), {TASK_WORKERS} task workers")
            servers = [_start_server(env, port, args.web_workers, var_dir) for port in ports]
            for port, server in zip(ports, servers):
                rush._wait_healthy(port, server, limit=60)
                for _ in range(2 * args.web_workers):  # load each worker's code before measuring
                    with urllib.request.urlopen(f"http://{HOST}:{port}/", timeout=rush.REQUEST_TIMEOUT) as response:
                        response.read()
            workers = [_start_worker(env, n + 1, var_dir) for n in range(TASK_WORKERS)]
            _step(env, "enqueue", "--plan", str(plan_path), "--seconds", str(args.seconds),
                  "--tasks-per-second", str(args.tasks_per_second))
            rush.log(f"load: {args.connections} connections for {args.seconds:.0f} s; load average {_load_average()}")
            client = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--step", "load",
                                       "--ports", ",".join(map(str, ports)), "--plan", str(plan_path), "--out", str(out_path),
                                       "--seconds", str(args.seconds), "--connections", str(args.connections)], env=env)
            started = time.monotonic()
            events = {}
            time.sleep(max(0.0, args.seconds / 3 - (time.monotonic() - started) - 1))
            events["worker_running"] = _wait_until_running_quick(env, "bench-2", 5.0)
            events["kill"] = time.time()
            _kill(servers[1])
            _kill(workers[1])
            rush.log(f"  {time.monotonic() - started:.1f} s: killed app server 2 (port {ports[1]}) and task worker bench-2 (SIGKILL)")
            time.sleep(max(0.0, 2 * args.seconds / 3 - (time.monotonic() - started)))
            events["restart"] = time.time()
            servers[1] = _start_server(env, ports[1], args.web_workers, var_dir)
            workers[1] = _start_worker(env, 2, var_dir)
            rush.log(f"  {time.monotonic() - started:.1f} s: started them again")
            # How long the restarted server takes to answer (its cold start): requests a proxy
            # sends it in that time wait, and make the p99 of the part after the restart.
            rush._wait_healthy(ports[1], servers[1], limit=60)
            events["ready_after"] = time.time() - events["restart"]
            rush.log(f"  the restarted app server answered /healthz {events['ready_after']:.1f} s after its start")
            client.wait(timeout=args.seconds + 120)
            if client.returncode:
                raise SystemExit(f"the load client failed (exit {client.returncode})")
            deadline = time.monotonic() + args.drain
            while True:
                tasks = json.loads(_step(env, "tasks", "--plan", str(plan_path)).strip().splitlines()[-1])
                left = tasks["counts"].get("READY", 0) + tasks["counts"].get("RUNNING", 0)
                if not left or time.monotonic() >= deadline:
                    break
                time.sleep(2)
            for process in servers + workers:
                if process is not None and process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in servers + workers:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    _kill(process)
            servers, workers = [None] * SERVERS, [None] * TASK_WORKERS
            load = json.loads(out_path.read_text())
            verify = json.loads(_step(env, "verify", "--plan", str(plan_path), "--out", str(out_path)).strip().splitlines()[-1])
        finally:
            for process in servers + workers:
                if process is not None and process.poll() is None:
                    _kill(process)
            rush._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result = summarise(load, events, verify, tasks, args.seconds)
    result["connections"] = args.connections
    return result


def _wait_until_running_quick(env, worker_id, limit):
    """Whether ``worker_id`` runs a task, polled directly in the database for up to ``limit``
    seconds (a subprocess per poll would be too slow to catch a short task)."""
    import psycopg

    dbname = env["DATABASE_URL"].rsplit("/", 1)[1]
    deadline = time.monotonic() + limit
    with psycopg.connect(host=rush.PG_HOST, port=rush.PG_PORT, user=rush.PG_USER, dbname=dbname, autocommit=True) as db:
        table = db.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE '%%dbtaskresult'").fetchone()[0]
        while time.monotonic() < deadline:
            row = db.execute(f"SELECT count(*) FROM {table} WHERE status = 'RUNNING' "
                             "AND worker_ids->>(jsonb_array_length(worker_ids) - 1) = %s", [worker_id]).fetchone()
            if row[0]:
                return True
            time.sleep(0.01)
    return False


def _load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=45.0)
    parser.add_argument("--connections", type=int, default=30)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--tasks-per-second", type=float, default=1.0)
    parser.add_argument("--drain", type=float, default=60.0, help="seconds the queue is given to empty after the run")
    parser.add_argument("--step", choices=("prepare", "load", "verify", "enqueue", "tasks"), help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--ports", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        return rush.step_prepare(args.plan)
    if args.step == "verify":
        return rush.step_verify(args.plan, args.out)
    if args.step == "enqueue":
        return step_enqueue(args.plan, args.seconds, args.tasks_per_second)
    if args.step == "tasks":
        return step_tasks(args.plan)
    if args.step == "load":
        return step_load([int(p) for p in args.ports.split(",")], args.plan, args.out, args.seconds, args.connections)
    if not 9 <= args.seconds <= 600 or not 1 <= args.connections <= 514:
        parser.error("--seconds must be 9..600 and --connections 1..514")
    started = time.monotonic()
    result = run(args)
    print(f"\n== cluster: {SERVERS} app servers x {args.web_workers} workers, {TASK_WORKERS} task workers, PostgreSQL; "
          f"{args.connections} connections for {args.seconds:.0f} s; app server 2 and task worker 2 killed (SIGKILL) "
          f"at 1/3, started again at 2/3 ==")
    ok = print_summary(result)
    print(f"load average (1, 5, 15 min) at the end: {_load_average()}; total {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
