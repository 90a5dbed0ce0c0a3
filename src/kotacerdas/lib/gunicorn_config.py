"""gunicorn settings of an app server: ``gunicorn -c python:kotacerdas.lib.gunicorn_config kotacerdas.wsgi``.

Read from the environment like the Django settings (deploy/README.md): ``KOTACERDAS_BIND``
(``127.0.0.1:8000``), ``WEB_CONCURRENCY`` (worker processes), ``KOTACERDAS_PROXY_IPS`` (the nginx
machines whose ``X-Forwarded-*`` headers are believed).
"""

import os

bind = os.environ.get("KOTACERDAS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
# A page that needs longer belongs on a task worker; nginx waits a little longer than this.
timeout = int(os.environ.get("KOTACERDAS_REQUEST_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = os.environ.get("KOTACERDAS_PROXY_IPS", "127.0.0.1")
# Django logs each request as one JSON line (kotacerdas.lib.observability); gunicorn's own access
# log would only repeat it without the request id.
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    # With PROMETHEUS_MULTIPROC_DIR the figures of a finished worker are merged, not lost.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    # `kotacerdas demo` starts one task worker beside the server; it ends with the server.
    pid = os.environ.get("KOTACERDAS_DEMO_WORKER_PID")
    if pid:
        import signal

        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
