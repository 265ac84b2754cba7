"""SQL Server / Azure SQL settings, and the connection strings users paste (ADO.NET, ODBC, JDBC).

:func:`parse_connection_string` turns a pasted string into a typed :class:`SqlServerConfig` plus
the secret (password or client secret), returned apart so that it never lands in stored
parameters; :func:`odbc_connection_string` builds what pyodbc hands to the ODBC driver.

>>> cfg, secret = parse_connection_string(
...     "Server=tcp:acme.database.windows.net,1433;Initial Catalog=sales;User ID=ana;"
...     "Password=p;w}d;Encrypt=True;")
Traceback (most recent call last):
...
app.connectors.errors.ConnectionError_: connection string: a part has no '=' (quote values ...
>>> cfg, secret = parse_connection_string(
...     "Server=tcp:acme.database.windows.net,1433;Initial Catalog=sales;User ID=ana;"
...     "Password='p;w}d';Encrypt=True;")
>>> cfg.server, cfg.port, cfg.database, cfg.user, secret
('acme.database.windows.net', 1433, 'sales', 'ana', 'p;w}d')
>>> odbc_connection_string(cfg, secret).split(";PWD=")[1]
'{p;w}}d}'
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from app.connectors.base import ConnectionError_, ConnectorConfig, secret_field
from app.i18n import _

__all__ = [
    "AUTH_KEYWORDS",
    "SqlServerConfig",
    "odbc_connection_string",
    "parse_connection_string",
    "quote_odbc_value",
]

AuthMode = Literal["sql", "entra_password", "service_principal", "managed_identity", "interactive"]

#: Cauce's authentication modes -> the ODBC driver's ``Authentication=`` keyword value
AUTH_KEYWORDS: dict[str, str] = {
    "sql": "SqlPassword",
    "entra_password": "ActiveDirectoryPassword",
    "service_principal": "ActiveDirectoryServicePrincipal",
    "managed_identity": "ActiveDirectoryMsi",
    "interactive": "ActiveDirectoryInteractive",
}
#: spellings found in ODBC, ADO.NET and JDBC strings (lower case, no spaces) -> auth mode
_AUTH_ALIASES: dict[str, str] = {
    "sqlpassword": "sql",
    "activedirectorypassword": "entra_password",
    "activedirectoryserviceprincipal": "service_principal",
    "activedirectorymsi": "managed_identity",
    "activedirectorymanagedidentity": "managed_identity",
    "activedirectoryinteractive": "interactive",
}
#: which auth modes need which settings: (user needed, client id needed, secret needed)
_AUTH_NEEDS: dict[str, tuple[bool, bool, bool]] = {
    "sql": (True, False, True),
    "entra_password": (True, False, True),
    "service_principal": (False, True, True),
    "managed_identity": (False, False, False),
    "interactive": (False, False, False),
}


class SqlServerConfig(ConnectorConfig):
    """Settings of a SQL Server or Azure SQL Database connection (secure by default)."""

    server: str = Field(
        description="Host name, e.g. myserver.database.windows.net "
        "(or host\\instance for a named instance)."
    )
    port: int = Field(default=1433, ge=1, le=65535)
    database: str = Field(description="Database name.")
    authentication: AuthMode = Field(
        default="sql",
        description="sql, entra_password, service_principal, managed_identity or interactive.",
    )
    user: str | None = Field(default=None, description="Login or Entra user name (UPN).")
    client_id: str | None = Field(
        default=None,
        description="Application (client) id: service principal, or a "
        "user-assigned managed identity.",
    )
    password: str | None = secret_field("Password or client secret (kept in the secret store).")
    driver: str = Field(
        default="ODBC Driver 18 for SQL Server", description="ODBC driver name as installed."
    )
    encrypt: Literal["yes", "no", "strict"] = "yes"
    trust_server_certificate: bool = False
    host_name_in_certificate: str | None = None
    login_timeout: int = Field(default=30, ge=1, description="Seconds to wait for a login.")
    query_timeout: int = Field(
        default=0, ge=0, description="Seconds a statement may run (0: no limit)."
    )
    application_name: str = Field(default="cauce", description="Shown in sys.dm_exec_sessions.")
    application_intent: Literal["ReadWrite", "ReadOnly"] = "ReadWrite"
    retry_attempts: int = Field(
        default=4, ge=1, le=20, description="Tries on Azure's transient errors (1: no retry)."
    )
    retry_backoff: float = Field(
        default=1.0, ge=0, description="First delay between tries, doubled each time (s)."
    )
    azure_subscription_id: str | None = Field(
        default=None, description="For the firewall helper: the server's subscription."
    )
    azure_resource_group: str | None = Field(
        default=None, description="For the firewall helper: the server's resource group."
    )

    @model_validator(mode="after")
    def _auth_settings(self) -> SqlServerConfig:
        needs_user, needs_client, _needs_secret = _AUTH_NEEDS[self.authentication]
        if needs_user and not self.user:
            raise ValueError(
                _("authentication {mode!r} needs a user").format(mode=self.authentication)
            )
        if needs_client and not self.client_id:
            raise ValueError(
                _("authentication {mode!r} needs a client_id").format(mode=self.authentication)
            )
        return self

    @property
    def needs_secret(self) -> bool:
        """Whether this authentication mode sends a password or client secret."""
        return _AUTH_NEEDS[self.authentication][2]


_NEEDS_BRACES = re.compile(r"[;{}]|^\s|\s$")


def quote_odbc_value(value: str, *, always: bool = False) -> str:
    """An ODBC connection-string value, braced (``}`` doubled) when it needs to be.

    >>> quote_odbc_value("plain"), quote_odbc_value("a;b"), quote_odbc_value("x}y")
    ('plain', '{a;b}', '{x}}y}')
    """
    if always or _NEEDS_BRACES.search(value):
        return "{" + value.replace("}", "}}") + "}"
    return value


def _server_value(cfg: SqlServerConfig) -> str:
    if "\\" in cfg.server:  # a named instance: the SQL Browser finds the port
        return cfg.server
    return f"tcp:{cfg.server},{cfg.port}"


def odbc_connection_string(cfg: SqlServerConfig, secret: str | None) -> str:
    """The ODBC connection string for ``cfg`` (the login timeout is set apart, as an attribute)."""
    needs_user, needs_client, needs_secret = _AUTH_NEEDS[cfg.authentication]
    if needs_secret and not secret:
        raise ConnectionError_(
            _(
                "authentication {mode!r} needs a password or client secret, "
                "and none is stored for this connection"
            ).format(mode=cfg.authentication)
        )
    parts: list[tuple[str, str]] = [
        ("Driver", quote_odbc_value(cfg.driver, always=True)),
        ("Server", quote_odbc_value(_server_value(cfg))),
        ("Database", quote_odbc_value(cfg.database)),
        ("Encrypt", cfg.encrypt),
        ("TrustServerCertificate", "yes" if cfg.trust_server_certificate else "no"),
    ]
    if cfg.host_name_in_certificate:
        parts.append(("HostNameInCertificate", quote_odbc_value(cfg.host_name_in_certificate)))
    parts += [
        ("APP", quote_odbc_value(cfg.application_name)),
        ("ApplicationIntent", cfg.application_intent),
    ]
    if cfg.authentication != "sql":
        parts.append(("Authentication", AUTH_KEYWORDS[cfg.authentication]))
    uid = (
        cfg.client_id
        if cfg.authentication in ("service_principal", "managed_identity")
        else cfg.user
    )
    if uid:
        parts.append(("UID", quote_odbc_value(uid)))
    if needs_secret and secret:
        parts.append(("PWD", quote_odbc_value(secret, always=True)))
    return ";".join(f"{k}={v}" for k, v in parts)


# -- parsing ---------------------------------------------------------------------------------
def _pairs(text: str) -> list[tuple[str, str]]:
    """``key=value`` pairs separated by ``;``; values may be ``{braced}`` or quoted."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] in "; \t\r\n":
            i += 1
            continue
        eq = text.find("=", i)
        semi = text.find(";", i)
        if eq < 0 or (0 <= semi < eq):
            # never echo the fragment: it may be the tail of a password
            raise ConnectionError_(
                _("connection string: a part has no '=' (quote values that contain a ';')")
            )
        key = text[i:eq].strip()
        i = eq + 1
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] in "{\"'":
            value, i = _quoted(text, i)
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            value, i = text[i:end].strip(), end
        pairs.append((key, value))
    return pairs


def _quoted(text: str, start: int) -> tuple[str, int]:
    """A ``{…}`` (``}}`` escapes ``}``) or ``"…"``/``'…'`` (doubled quote escapes) value."""
    close = "}" if text[start] == "{" else text[start]
    out: list[str] = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == close:
            if i + 1 < len(text) and text[i + 1] == close:
                out.append(close)
                i += 2
                continue
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise ConnectionError_(_("connection string: a quoted value is not closed"))


_KEYS: dict[str, str] = {
    # ADO.NET, ODBC and JDBC spellings (lower case, spaces removed) -> Config field
    "server": "server",
    "datasource": "server",
    "address": "server",
    "addr": "server",
    "networkaddress": "server",
    "servername": "server",
    "database": "database",
    "initialcatalog": "database",
    "databasename": "database",
    "userid": "user",
    "uid": "user",
    "user": "user",
    "username": "user",
    "password": "password",
    "pwd": "password",
    "encrypt": "encrypt",
    "trustservercertificate": "trust_server_certificate",
    "hostnameincertificate": "host_name_in_certificate",
    "connectiontimeout": "login_timeout",
    "connecttimeout": "login_timeout",
    "logintimeout": "login_timeout",
    "timeout": "login_timeout",
    "authentication": "authentication",
    "applicationname": "application_name",
    "app": "application_name",
    "applicationintent": "application_intent",
    "driver": "driver",
    "portnumber": "port",
    "port": "port",
    "msiclientid": "client_id",
}
_TRUE = {"true", "yes", "1", "mandatory", "strict"}


def _encrypt(value: str) -> str:
    v = value.strip().lower()
    if v == "strict":
        return "strict"
    return "yes" if v in _TRUE else "no"


def _split_server(value: str) -> tuple[str, int | None]:
    host = re.sub(r"^(tcp|np|lpc|admin):", "", value.strip(), flags=re.IGNORECASE)
    if "," in host:
        host, port = host.rsplit(",", 1)
        return host.strip(), int(port)
    return host, None


def _jdbc_pairs(text: str) -> list[tuple[str, str]]:
    """``jdbc:sqlserver://host[\\instance][:port];key=value;…`` as pairs (server first)."""
    rest = text[len("jdbc:sqlserver://") :]
    head, _sep, props = rest.partition(";")
    host, port = head, None
    if re.search(r":\d+$", head):
        host, port = head.rsplit(":", 1)
    pairs = [("server", host)] + ([("port", port)] if port else [])
    return pairs + _pairs(props)


def parse_connection_string(text: str) -> tuple[SqlServerConfig, str | None]:
    """A pasted ADO.NET, ODBC or JDBC connection string -> (config, secret).

    The password (or client secret) is returned apart and is never part of the config's
    stored parameters. Unknown keywords are ignored; a malformed string raises
    :class:`ConnectionError_` without echoing the secret.
    """
    text = text.strip()
    is_jdbc = text.lower().startswith("jdbc:sqlserver://")
    pairs = _jdbc_pairs(text) if is_jdbc else _pairs(text)
    fields: dict[str, object] = {}
    secret: str | None = None
    for raw_key, value in pairs:
        key = _KEYS.get(raw_key.replace(" ", "").replace("_", "").lower())
        if key is None:
            continue
        if key == "password":
            secret = value
        elif key == "server":
            host, port = _split_server(value)
            fields["server"] = host
            if port is not None:
                fields["port"] = port
        elif key == "encrypt":
            fields["encrypt"] = _encrypt(value)
        elif key == "trust_server_certificate":
            fields[key] = value.strip().lower() in _TRUE
        elif key in ("login_timeout", "port"):
            fields[key] = int(value)
        elif key == "authentication":
            mode = _AUTH_ALIASES.get(value.replace(" ", "").replace("_", "").lower())
            if mode is None:
                raise ConnectionError_(
                    _(
                        "connection string: authentication {mode!r} is not "
                        "supported (use one of {modes})"
                    ).format(mode=value, modes=sorted(AUTH_KEYWORDS))
                )
            fields["authentication"] = mode
        else:
            fields[key] = value
    mode = str(fields.get("authentication", "sql"))
    if mode in ("service_principal", "managed_identity") and "user" in fields:
        fields.setdefault("client_id", fields.pop("user"))
    try:
        return SqlServerConfig.model_validate(fields), secret
    except ValueError as err:
        problems = "; ".join(e["msg"] for e in getattr(err, "errors", lambda: [])()) or str(err)
        if secret:
            problems = problems.replace(secret, "***")
        raise ConnectionError_(
            _("connection string: {problems}").format(problems=problems)
        ) from None
