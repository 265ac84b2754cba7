"""The ODBC layer: connections with retries, streaming fetches, bulk inserts. Server-agnostic.

Nothing here knows T-SQL: what differs between servers comes from a
:class:`~app.connectors.mssql._flavour.Flavour`. That is what lets the same code run against
PostgreSQL (psqlODBC) in the tests, since no SQL Server can run on the build machines.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.connectors import pgtime
from app.connectors.base import ConnectionError_
from app.connectors.mssql._errors import Diagnosis, ErrorKind, RetryPolicy, with_retry
from app.connectors.mssql._firewall import firewall_fix
from app.connectors.mssql._flavour import Flavour
from app.connectors.mssql._sql import insert_values
from app.connectors.mssql._types import ColumnSpec, bindable, input_sizes, to_arrow, to_params
from app.i18n import _

if TYPE_CHECKING:
    import pyodbc
    from sqlglot import exp

__all__ = ["INSERT_CHUNK_ROWS", "OdbcSession", "explain", "import_pyodbc"]

#: rows sent per ``executemany`` call: bounds the memory of the parameter array
INSERT_CHUNK_ROWS = 10_000


def import_pyodbc() -> Any:
    """pyodbc, or a :class:`ConnectionError_` that says how to get it (and unixODBC)."""
    try:
        import pyodbc
    except ImportError as err:
        raise ConnectionError_(
            _(
                "SQL Server connections need pyodbc (pip install 'cauce[sqlserver]') and an ODBC "
                "driver manager (Linux: apt-get install unixodbc): {error}"
            ).format(error=err)
        ) from None
    return pyodbc


def explain(diagnosis: Diagnosis, host: str, driver: str, resource_group: str | None = None) -> str:
    """A message that says what to do about the error, not only what it was."""
    if diagnosis.kind is ErrorKind.FIREWALL:
        fix = firewall_fix(diagnosis.client_ip, host)
        if fix is not None:
            return fix.message(resource_group)
        return _(
            "Azure SQL's firewall refused this computer (error 40615); add a firewall "
            "rule for its public IP address in the Azure portal"
        )
    if diagnosis.kind is ErrorKind.DRIVER_MISSING:
        return _(
            "the ODBC driver {driver!r} is not installed. Install Microsoft's ODBC Driver "
            "18 for SQL Server (Windows: the MSI from Microsoft; macOS: brew install "
            "msodbcsql18; Linux: the msodbcsql18 package from Microsoft's apt/yum "
            "repository) or set the connection's driver name"
        ).format(driver=driver)
    if diagnosis.kind is ErrorKind.TIMEOUT:
        return _(
            "no answer from {host} in time (login timeout): check the server name and "
            "port, that the server is running, and that no firewall or network blocks it "
            "[{error}]"
        ).format(host=host, error=diagnosis.message.strip())
    if diagnosis.kind is ErrorKind.LOGIN:
        return _(
            "login refused: check the user, password and authentication mode [{error}]"
        ).format(error=diagnosis.message.strip())
    if diagnosis.kind is ErrorKind.TRANSIENT:
        codes = ", ".join(map(str, diagnosis.numbers)) or diagnosis.sqlstate
        return _(
            "the server is temporarily unavailable or busy (Azure transient error "
            "{codes}); it was retried and still failed [{error}]"
        ).format(codes=codes, error=diagnosis.message.strip())
    return diagnosis.message.strip()


class OdbcSession:
    """Opens connections for one server and moves rows through them."""

    def __init__(
        self,
        connection_string: Callable[[], str],
        flavour: Flavour,
        *,
        login_timeout: int,
        query_timeout: int,
        retry: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._connection_string = connection_string
        self.flavour = flavour
        self.login_timeout = login_timeout
        self.query_timeout = query_timeout
        self.retry = retry
        self._sleep = sleep

    def _open(self, autocommit: bool) -> pyodbc.Connection:
        """One connection attempt, set up for this flavour."""
        pyodbc = import_pyodbc()
        con = pyodbc.connect(
            self._connection_string(), autocommit=autocommit, timeout=self.login_timeout
        )
        try:
            for code, converter in self.flavour.output_converters.items():
                con.add_output_converter(code, converter)
            if self.query_timeout:
                con.timeout = self.query_timeout
            cur = con.cursor()
            for statement in self.flavour.session_setup:
                cur.execute(statement)
            cur.close()
        except BaseException:
            con.close()
            raise
        return con

    def connect(self, *, autocommit: bool) -> pyodbc.Connection:
        """A new connection, retried with backoff on transient errors."""
        pyodbc = import_pyodbc()
        return with_retry(
            lambda: self._open(autocommit), self.retry, errors=(pyodbc.Error,), sleep=self._sleep
        )

    def run(self, action: Callable[[pyodbc.Connection], Any], *, autocommit: bool = True) -> Any:
        """Open a connection, run ``action`` on it, close it; the whole retried when transient.

        Only for actions that can safely run twice (catalog reads, schema probes).
        """
        pyodbc = import_pyodbc()

        def attempt() -> Any:
            con = self._open(autocommit)
            try:
                return action(con)
            finally:
                con.close()

        return with_retry(attempt, self.retry, errors=(pyodbc.Error,), sleep=self._sleep)

    @staticmethod
    def fetch_batches(
        cursor: pyodbc.Cursor, specs: list[ColumnSpec], batch_rows: int
    ) -> Iterator[pa.RecordBatch]:
        """Stream the cursor's rows as Arrow batches of ``batch_rows`` rows at most."""
        schema = pa.schema([s.field for s in specs])
        while True:
            rows = cursor.fetchmany(batch_rows)
            if not rows:
                return
            columns = list(zip(*rows, strict=True))
            arrays = []
            for values, spec in zip(columns, specs, strict=True):
                try:
                    arrays.append(to_arrow(values, spec))
                except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as err:
                    raise ConnectionError_(
                        _("column {column!r}: a value does not fit {type}: {error}").format(
                            column=spec.name, type=spec.arrow, error=err
                        )
                    ) from None
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)

    def bulk_insert(
        self,
        cursor: pyodbc.Cursor,
        table: exp.Table,
        data: pa.RecordBatchReader,
        *,
        row_column: str | None = None,
        start: int = 0,
        keys: list[str] | None = None,
    ) -> int:
        """``fast_executemany`` the stream into ``table``; returns the number of rows sent.

        With ``row_column``, each row also gets its arrival number (from ``start``). An
        infinite or BC date or timestamp is refused, naming its row (by ``keys`` when given):
        SQL Server has neither, and ODBC parameters (Python dates) cannot carry them.
        """
        names = list(data.schema.names) + ([row_column] if row_column else [])
        statement = self.flavour.render(insert_values(table, names))
        cursor.fast_executemany = True
        sent = 0
        for batch in data:
            pgtime.refuse_far(batch, keys, sent, "SQL Server")
            for offset in range(0, batch.num_rows, INSERT_CHUNK_ROWS):
                chunk = bindable(batch.slice(offset, INSERT_CHUNK_ROWS))
                params = to_params(chunk)
                if row_column:
                    first = start + sent
                    params = [(*row, first + i) for i, row in enumerate(params)]
                if params:
                    sizes = input_sizes(chunk, self.flavour.inline_limits)
                    cursor.setinputsizes(sizes + ([None] if row_column else []))
                    cursor.executemany(statement, params)
                sent += len(params)
        return sent
