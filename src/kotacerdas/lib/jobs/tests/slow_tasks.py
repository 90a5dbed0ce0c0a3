"""A task that waits for a file to appear, so a test can kill its worker in the middle."""

import os
import time
from pathlib import Path

from django_tasks import task

from kotacerdas.lib.jobs.services import report_progress


@task(takes_context=True)
def wait_for_release(context, folder):
    """Record each attempt (with the worker running it), then wait until ``folder/release`` exists."""
    folder = Path(folder)
    attempt = len(context.task_result.worker_ids)
    (folder / f"attempt-{attempt}").write_text(f"{os.getpid()}")
    report_progress(context.task_result.id, 1, 2, f"attempt {attempt} waiting")
    while not (folder / "release").exists():
        time.sleep(0.05)
    report_progress(context.task_result.id, 2, 2, f"attempt {attempt} done")
    return {"attempt": attempt}
