"""The archive of an access or portability request: the subject's rows of every table, as
JSON and as CSV, in one zip.

Layout::

    manifest.json                      request, time, tables, rows, SHA-256 of each file
    <connection>/<table>.json          the rows, a JSON array of objects
    <connection>/<table>.csv           the same rows, with a header line

Values keep their meaning in JSON: dates and times in ISO 8601, decimals as strings (no
float rounding), binary as base64. The archive is written to a temporary file beside the
target and renamed into place, so a failed export leaves no partial archive.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

__all__ = ["ExportedTable", "write_archive"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return str(value)


def _csv(table: pa.Table) -> bytes:
    out = io.BytesIO()
    writable = pa.table(
        {
            f.name: table.column(i)
            if not (pa.types.is_nested(f.type) or pa.types.is_binary(f.type))
            else pa.array(
                [None if v is None else _json_value(v) for v in table.column(i).to_pylist()],
                pa.string(),
            )
            for i, f in enumerate(table.schema)
        }
    )
    pacsv.write_csv(writable, out)
    return out.getvalue()


def _name(connection: str, table: str) -> str:
    return f"{_UNSAFE.sub('_', connection)}/{_UNSAFE.sub('_', table)}"


ExportedTable = tuple[str, str, pa.Table]


def write_archive(
    target: Path, manifest: dict[str, Any], tables: Sequence[ExportedTable]
) -> dict[str, Any]:
    """Write the archive at ``target`` (replacing it); returns the manifest written, with
    each table's files and their SHA-256."""
    listed = []
    files: list[tuple[str, bytes]] = []
    for connection, table, rows in tables:
        base = _name(connection, table)
        as_json = json.dumps(rows.to_pylist(), default=_json_value, ensure_ascii=False, indent=1)
        entry = {"connection": connection, "table": table, "rows": rows.num_rows, "files": {}}
        for suffix, data in ((".json", as_json.encode()), (".csv", _csv(rows))):
            files.append((base + suffix, data))
            entry["files"][base + suffix] = hashlib.sha256(data).hexdigest()  # type: ignore[index]
        listed.append(entry)
    written = {**manifest, "tables": listed}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".cauce-export-", suffix=".zip", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(written, indent=2, ensure_ascii=False))
            for name, data in files:
                archive.writestr(name, data)
        os.chmod(temp, 0o600)  # personal data: the owner only
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    return written
