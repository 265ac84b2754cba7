"""Abandoned runs: runs and sync runs record the process (``pid``) that runs them, and a run
whose process died is marked ``abandoned`` (a new terminal status of runs, node runs and sync
runs).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Written by hand: the status check constraints are replaced (dropped and created again, a table
rebuild on SQLite through batch mode); ``pid`` is a nullable integer (older rows have none).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

_OLD = "status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')"
_NEW = "status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled', 'abandoned')"


#: the constraints' names as 0001 and 0002 created them (0001's carry the prefix twice)
_NAMES = {
    "runs": "ck_runs_ck_runs_status",
    "node_runs": "ck_node_runs_ck_node_runs_status",
    "sync_runs": "ck_sync_runs_status",
}


def _replace_status_check(
    table: str, condition: str, *, pid: bool | None, old: str | None = None
) -> None:
    old = old or _NAMES[table]
    # batch mode on SQLite rebuilds the table from a reflection that leaves CHECK constraints
    # out unless it is given one that holds them
    copy_from = None
    if op.get_context().dialect.name == "sqlite":
        copy_from = sa.Table(table, sa.MetaData(), autoload_with=op.get_bind())
    with op.batch_alter_table(table, schema=None, copy_from=copy_from) as batch_op:
        batch_op.drop_constraint(op.f(old), type_="check")
        batch_op.create_check_constraint(batch_op.f(f"ck_{table}_status"), sa.text(condition))
        if pid is True:
            batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        elif pid is False:
            batch_op.drop_column("pid")


def upgrade() -> None:
    _replace_status_check("runs", _NEW, pid=True)
    _replace_status_check("node_runs", _NEW, pid=None)
    _replace_status_check("sync_runs", _NEW, pid=True)


def downgrade() -> None:
    for table in ("runs", "node_runs", "sync_runs"):
        op.execute(sa.text(f"UPDATE {table} SET status = 'failed' WHERE status = 'abandoned'"))
    for table, pid in (("runs", False), ("node_runs", None), ("sync_runs", False)):
        _replace_status_check(table, _OLD, pid=pid, old=f"ck_{table}_status")
