"""``python -m tests.sync.bigquery_cli ARGS…``: ``cauce ARGS…`` in a process whose BigQuery
client uploads through resumable uploads, the only kind the emulator takes (as the tests'
``bq_emulator`` fixture does in-process); the crash tests kill it with SIGKILL."""

from __future__ import annotations

if __name__ == "__main__":
    import google.cloud.bigquery.client as bq_client

    from app.cli import main

    bq_client._MAX_MULTIPART_SIZE = 0
    main()
