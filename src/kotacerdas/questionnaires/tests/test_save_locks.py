"""A save locks its own submission only. Locking the joined form assignment and version too (what
``select_for_update()`` does to every table of a ``select_related``) made the 514 regions' saves
wait on one row and deadlock under a deadline rush on PostgreSQL (bench/cluster.py)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kotacerdas.questionnaires import services
from kotacerdas.questionnaires.models import Submission


def test_a_save_locks_the_submission_row_and_nothing_else(submission, dave):
    with CaptureQueriesContext(connection) as queries:
        services.save_answers(submission, {"has_plan": ("no", 0)}, user=dave)
    locking = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update_of:  # PostgreSQL
        assert locking, "the submission is locked"
        table = Submission._meta.db_table
        for sql in locking:
            assert re.search(r"FOR UPDATE OF \S+$", sql), sql
            assert sql.rsplit("FOR UPDATE OF", 1)[1].strip().strip('"') == table, sql
    else:  # SQLite: immediate transactions serialise writers, no row locks
        assert not locking
    assert submission.answers.get(key="has_plan").value == "no"
