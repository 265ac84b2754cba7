"""``python -m tests.sync.snowflake_cli ARGS…``: ``cauce ARGS…`` in a process whose Snowflake
driver is fakesnow keeping its databases as DuckDB files in ``$CAUCE_FAKESNOW_DIR`` (so what a
run committed outlives the process); the crash tests kill it with SIGKILL."""

from __future__ import annotations

import os

if __name__ == "__main__":
    import fakesnow

    from app.cli import main

    with fakesnow.patch(db_path=os.environ["CAUCE_FAKESNOW_DIR"]):
        main()
