"""What django-tasks-db lacks for running on several machines: worker heartbeats, recovery of the
tasks of a dead worker, progress stored in the database and a page that shows it.

django-tasks-db claims a task by setting it ``RUNNING`` and never looks at it again: a worker
killed in the middle (SIGKILL, a lost machine) leaves it "running" forever. Here every worker
(``kotacerdas db_worker``, which replaces the library's command) records a heartbeat in the
database; any worker that finds a running task whose worker has not been heard of for
``KOTACERDAS_WORKER_TIMEOUT`` seconds puts it back in the queue (up to
``KOTACERDAS_TASK_MAX_ATTEMPTS`` attempts, so tasks must be safe to run twice) or marks it failed
with the reason. Progress (done, total, message) is a row every app server reads.
"""
