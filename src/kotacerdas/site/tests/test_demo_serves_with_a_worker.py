"""``kotacerdas demo`` serves with gunicorn and one task worker beside it; stopping the server
stops the worker."""

import signal
import urllib.request

from kotacerdas.lib.testing import Deployment, free_port, wait_until

HEARTBEATS = "from kotacerdas.lib.jobs.models import WorkerHeartbeat\nresult = WorkerHeartbeat.objects.count()"


def _answers(url):
    try:
        return urllib.request.urlopen(url, timeout=5).status == 200
    except OSError:
        return False


def test_the_demo_runs_a_task_worker_beside_the_server(tmp_path):
    site = Deployment(tmp_path, KOTACERDAS_WORKER_HEARTBEAT="0.5")
    port = free_port()
    server = site.start("demo", "--port", str(port), "--workers", "1")
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), "the demo to serve", timeout=300)
        wait_until(lambda: site.python(HEARTBEATS) == 1, "the demo's task worker to report")
        # A task enqueued now is run by that worker.
        site.run("daily")
        # (The demo queued its own tasks too, e-mails among them: only the daily one is asked for.)
        wait_until(lambda: site.python("from django_tasks_db.models import DBTaskResult\n"
                                       "result = list(DBTaskResult.objects.filter(task_path__endswith='snapshot_open_data')"
                                       ".values_list('status', flat=True))") == ["SUCCESSFUL"],
                   "the worker to run the daily task")
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        # The worker removed its heartbeat when it stopped with the server.
        wait_until(lambda: site.python(HEARTBEATS) == 0, "the worker to stop with the server")
    finally:
        if server.poll() is None:
            server.kill()
        site.drop()
