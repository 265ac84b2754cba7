"""Opening a PostgreSQL connection: psycopg for most work, asyncpg for the binary COPY reader.

Both connect with the same settings (UTC, ISO dates, the application name). The password is
read from the secret store only when the server asks for one (libpq's ``needs_password``,
asyncpg's ``28P01``). A refusal is transient — retried by the sync runner — when a retry may
pass: not after a refused password, nor when the server refuses the connection for good (a
database or role that does not exist), which psycopg cannot tell apart and asyncpg can.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.connectors._common import failure
from app.connectors.base import ConnectionError_, NativeUnavailable
from app.connectors.postgres._native import transient
from app.connectors.tls import TransportSecurity, check_transport
from app.i18n import _

if TYPE_CHECKING:
    import asyncpg
    import psycopg

    from app.connectors.postgres._config import PostgresConfig

__all__ = ["Connecting"]


class Connecting:
    """The connection-opening half of :class:`~app.connectors.postgres.PostgresConnector`."""

    if TYPE_CHECKING:  # provided by the connector
        name: str
        config: PostgresConfig
        root: Path
        session_options: str

        def secret_on_demand(self, field: str) -> bool: ...

    def _fail(self, action: str, err: BaseException) -> ConnectionError_:
        error = failure(self.name, action, err, secret=self.config.password)
        error.transient = transient(err)
        return error

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        try:
            return self._connect_once()
        except psycopg.Error as err:
            # the server asked for a password we did not have: fetch it (once), try again
            if not (err.pgconn and err.pgconn.needs_password and self.secret_on_demand("password")):
                raise self._connect_failure(err) from None
        try:
            return self._connect_once()
        except psycopg.Error as err:
            raise self._connect_failure(err) from None

    def _rootcert(self) -> str | None:
        """``sslrootcert`` as libpq takes it: ``system``, or a path (relative to the working
        directory)."""
        given = self.config.sslrootcert
        if not given or given == "system":
            return given
        path = Path(given).expanduser()
        return str(path if path.is_absolute() else self.root / path)

    def _connect_once(self) -> psycopg.Connection[Any]:
        import psycopg

        cfg = self.config
        return psycopg.connect(
            host=cfg.host,
            port=cfg.port,
            dbname=cfg.database,
            user=cfg.user,
            password=cfg.password,
            sslmode=cfg.sslmode,
            connect_timeout=cfg.connect_timeout,
            application_name=cfg.application_name,
            autocommit=True,
            options=" ".join(
                filter(None, ["-c TimeZone=UTC -c DateStyle=ISO,YMD", self.session_options])
            ),
            sslrootcert=self._rootcert(),  # None: libpq's default (psycopg drops None)
        )

    def _async_ssl(self) -> str | ssl.SSLContext:
        """asyncpg's ``ssl``: the mode, or, with ``sslrootcert`` and a verifying mode, a
        context that trusts those authorities (asyncpg reads no such setting itself)."""
        cfg, root = self.config, self._rootcert()
        if root is None or cfg.sslmode not in ("verify-ca", "verify-full"):
            return cfg.sslmode
        context = ssl.create_default_context(cafile=None if root == "system" else root)
        context.check_hostname = cfg.sslmode == "verify-full"
        return context

    def tls_policy(self) -> str:
        return "prefer" if self.config.sslmode == "allow" else self.config.sslmode

    def transport(self) -> TransportSecurity:
        """What a new connection negotiates: libpq's view, and the server's (``pg_stat_ssl``)."""
        import psycopg

        with self._connect() as con:
            encrypted = bool(con.pgconn.ssl_in_use)
            try:
                row = con.execute(
                    "SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
                ).fetchone()
            except psycopg.Error as err:
                raise self._fail(_("reading the connection's encryption"), err) from None
            mode = self.tls_policy()
            security = TransportSecurity(
                encrypted=encrypted and bool(row and row[0]),
                # libpq refuses a certificate it cannot verify in these modes
                verified=encrypted and mode in ("verify-ca", "verify-full"),
                hostname=encrypted and mode == "verify-full",
                protocol=str(row[1] or "") if row else "",
                cipher=str(row[2] or "") if row else "",
                policy=mode,
            )
        return check_transport(self.name, security)

    def _connect_failure(self, err: Exception) -> ConnectionError_:
        import psycopg

        cfg = self.config
        error = self._fail(
            _("connecting to {host}:{port}/{database}").format(
                host=cfg.host, port=cfg.port, database=cfg.database
            ),
            err,
        )
        if (
            isinstance(err, psycopg.Error)
            and err.pgconn is not None
            and (err.pgconn.needs_password or err.pgconn.used_password)
        ):
            error.transient = False  # refused at authentication: a retry would be refused too
        elif "FATAL" in str(err) and self._refused_for_good():
            error.transient = False  # no such database or role, no pg_hba.conf entry…
        if cfg.sslmode in ("require", "verify-ca", "verify-full") and (
            "SSL" in str(err) or "certificate" in str(err)
        ):
            remedy = (
                _("enable TLS on the server, or choose another sslmode")
                if cfg.sslmode == "require"
                else _(
                    "the server must offer TLS with a certificate signed by an authority in "
                    "sslrootcert (for verify-full, naming the host), or choose another sslmode"
                )
            )
            error = ConnectionError_(
                _(
                    "{error}. The connection's sslmode is {mode!r}: Cauce connects only "
                    "encrypted; {remedy}"
                ).format(error=error, mode=cfg.sslmode, remedy=remedy)
            )
            error.transient = False
        return error

    def _refused_for_good(self) -> bool:
        """Whether the server refuses this connection for a reason a retry cannot change.

        libpq gives no SQLSTATE for a refused connection, and its message is in the server's
        language; asyncpg's error carries it: one more attempt through asyncpg tells a
        database or role that does not exist (``3D000``, ``28000``) from a server starting up
        or out of connection slots (``57P03``, ``53300``: worth retrying).
        """
        import asyncio

        loop = asyncio.SelectorEventLoop()  # as the native reader: asyncpg's loop everywhere
        try:
            con = loop.run_until_complete(self._connect_async())
        except NativeUnavailable:  # asyncpg cannot tell (an authentication method it lacks)
            return False
        except ConnectionError_ as probe:
            return not probe.transient
        except Exception:  # noqa: BLE001 - the probe only informs the retry decision
            return False
        else:
            loop.run_until_complete(con.close())
            return False  # it connects now: retrying is right
        finally:
            loop.close()

    async def _connect_async(self) -> asyncpg.Connection:
        """The same connection through asyncpg (the binary COPY reader's driver)."""
        import asyncpg

        may_ask = True
        while True:
            cfg = self.config
            where = _("connecting to {host}:{port}/{database}").format(
                host=cfg.host, port=cfg.port, database=cfg.database
            )
            try:
                return await asyncpg.connect(
                    host=cfg.host,
                    port=cfg.port,
                    database=cfg.database,
                    user=cfg.user,
                    password=cfg.password,
                    ssl=self._async_ssl(),
                    timeout=cfg.connect_timeout,
                    statement_cache_size=0,
                    server_settings={
                        "application_name": cfg.application_name,
                        "TimeZone": "UTC",
                        "DateStyle": "ISO,YMD",
                    },
                )
            except asyncpg.InvalidPasswordError as err:  # none given, or a wrong one
                if may_ask and cfg.password is None and self.secret_on_demand("password"):
                    may_ask = False
                    continue
                raise self._fail(where, err) from None
            except asyncpg.InterfaceError as err:  # e.g. an authentication method it lacks
                raise NativeUnavailable(
                    str(failure(self.name, where, err, secret=cfg.password))
                ) from None
            except (OSError, TimeoutError, asyncpg.PostgresError) as err:
                raise self._fail(where, err) from None
