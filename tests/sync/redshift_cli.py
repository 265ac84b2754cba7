"""``python -m tests.sync.redshift_cli ARGS…``: ``cauce ARGS…`` in a process whose Redshift
driver reaches PostgreSQL through PgBouncer (the shim of ``tests/connectors/warehouses.py``);
the crash tests kill it with SIGKILL."""

from __future__ import annotations

from tests.connectors.warehouses import shim_driver

if __name__ == "__main__":
    shim_driver()
    from app.cli import main

    main()
