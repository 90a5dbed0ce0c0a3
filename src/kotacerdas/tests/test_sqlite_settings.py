"""The embedded SQLite database is opened in WAL mode with a busy timeout (checked on a real file
database, whichever database this run's suite uses)."""

from django.db.backends.sqlite3.base import DatabaseWrapper

from kotacerdas.settings import sqlite_database


def test_the_embedded_database_is_in_wal_mode_with_a_busy_timeout(db, tmp_path):
    wrapper = DatabaseWrapper(
        {**sqlite_database(str(tmp_path / "wal.sqlite3")), "TIME_ZONE": None, "CONN_HEALTH_CHECKS": False,
         "CONN_MAX_AGE": 0, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False},
        alias="wal_check",
    )
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()
