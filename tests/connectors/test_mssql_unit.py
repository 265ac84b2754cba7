"""SQL Server connector, pure parts: connection strings, error classification, retries, firewall."""

from __future__ import annotations

import pytest

from app.connectors.base import ConnectionError_, resolve_config
from app.connectors.mssql import FirewallBlocked, SqlServerConnector
from app.connectors.mssql._config import (
    SqlServerConfig,
    odbc_connection_string,
    parse_connection_string,
)
from app.connectors.mssql._errors import ErrorKind, RetryPolicy, classify, with_retry
from app.connectors.mssql._firewall import FirewallFix, add_firewall_rule, logical_server

SECRET = "p;a}ss=w{o'rd"


class FakeOdbcError(Exception):
    """Shaped like pyodbc.Error: args are (sqlstate, message)."""


def odbc_error(state: str, text: str, number: int) -> FakeOdbcError:
    return FakeOdbcError(
        state,
        f"[{state}] [Microsoft][ODBC Driver 18 for SQL Server]"
        f"[SQL Server]{text} ({number}) (SQLDriverConnect)",
    )


# -- connection strings ---------------------------------------------------------------------
ADO = (
    "Server=tcp:acme.database.windows.net,1433;Initial Catalog=sales;"
    'Persist Security Info=False;User ID=ana;Password="p;a}ss=w{o\'rd";'
    "MultipleActiveResultSets=False;Encrypt=True;TrustServerCertificate=False;"
    "Connection Timeout=30;"
)
ODBC = (
    "Driver={ODBC Driver 18 for SQL Server};Server=tcp:acme.database.windows.net,1433;"
    "Database=sales;Uid=ana;Pwd={p;a}}ss=w{o'rd};Encrypt=yes;TrustServerCertificate=no;"
    "Connection Timeout=30;"
)
JDBC = (
    "jdbc:sqlserver://acme.database.windows.net:1433;database=sales;user=ana;"
    "password={p;a}}ss=w{o'rd};encrypt=true;trustServerCertificate=false;"
    "hostNameInCertificate=*.database.windows.net;loginTimeout=30;"
)


@pytest.mark.parametrize("text", [ADO, ODBC, JDBC], ids=["ado.net", "odbc", "jdbc"])
def test_pasted_strings_parse_to_the_same_config(text: str) -> None:
    config, secret = parse_connection_string(text)
    assert (config.server, config.port, config.database, config.user) == (
        "acme.database.windows.net",
        1433,
        "sales",
        "ana",
    )
    assert config.authentication == "sql" and config.encrypt == "yes"
    assert config.trust_server_certificate is False and config.login_timeout == 30
    assert secret == SECRET
    assert config.password is None and "password" not in config.model_dump()
    assert SECRET not in repr(config)


AUTH_CASES = [
    (
        "Server=s.database.windows.net;Database=d;Authentication=Active Directory Password;"
        "User ID=ana@acme.com;Password=pw",
        "entra_password",
        "ana@acme.com",
        None,
        "pw",
    ),
    (
        "Driver={ODBC Driver 18 for SQL Server};Server=s.database.windows.net;Database=d;"
        "Authentication=ActiveDirectoryServicePrincipal;UID=1111-2222;PWD={sec}}ret}",
        "service_principal",
        None,
        "1111-2222",
        "sec}ret",
    ),
    (
        "jdbc:sqlserver://s.database.windows.net:1433;database=d;"
        "authentication=ActiveDirectoryMSI;msiClientId=3333",
        "managed_identity",
        None,
        "3333",
        None,
    ),
    (
        "Server=s.database.windows.net;Database=d;Authentication=Active Directory Managed Identity",
        "managed_identity",
        None,
        None,
        None,
    ),
    (
        "jdbc:sqlserver://s.database.windows.net;databaseName=d;"
        "authentication=ActiveDirectoryInteractive;user=ana@acme.com",
        "interactive",
        "ana@acme.com",
        None,
        None,
    ),
]


@pytest.mark.parametrize(("text", "mode", "user", "client_id", "secret"), AUTH_CASES)
def test_auth_modes_parse_and_build(
    text: str, mode: str, user: str | None, client_id: str | None, secret: str | None
) -> None:
    config, found = parse_connection_string(text)
    assert (config.authentication, config.user, config.client_id, found) == (
        mode,
        user,
        client_id,
        secret,
    )
    built = odbc_connection_string(config, found)
    again, again_secret = parse_connection_string(built)
    assert again == config and again_secret == found
    keyword = {
        "entra_password": "ActiveDirectoryPassword",
        "interactive": "ActiveDirectoryInteractive",
        "managed_identity": "ActiveDirectoryMsi",
        "service_principal": "ActiveDirectoryServicePrincipal",
    }[mode]
    assert f"Authentication={keyword}" in built


def test_builder_defaults_are_secure_and_values_escaped() -> None:
    config = SqlServerConfig(server="acme.database.windows.net", database="my;db", user="ana")
    built = odbc_connection_string(config, SECRET)
    assert built.startswith(
        "Driver={ODBC Driver 18 for SQL Server};"
        "Server=tcp:acme.database.windows.net,1433;Database={my;db};"
    )
    assert "Encrypt=yes;TrustServerCertificate=no;" in built and "APP=cauce" in built
    assert built.endswith("PWD={p;a}}ss=w{o'rd}")
    assert parse_connection_string(built) == (config, SECRET)
    named = SqlServerConfig(server="box\\SQLEXPRESS", database="d", user="u")
    assert "Server=box\\SQLEXPRESS;" in odbc_connection_string(named, "x")
    with pytest.raises(ConnectionError_, match="needs a password"):
        odbc_connection_string(config, None)


def test_bad_strings_never_echo_the_secret() -> None:
    with pytest.raises(ConnectionError_) as info:
        parse_connection_string("Server=s;Database=d;User ID=u;Password=abc;defgh")
    assert "defgh" not in str(info.value)
    with pytest.raises(ConnectionError_, match="needs a user"):
        parse_connection_string("Server=s;Database=d;Password=hunter2")
    with pytest.raises(ConnectionError_, match="not supported"):
        parse_connection_string("Server=s;Database=d;Authentication=ActiveDirectoryDefault")
    with pytest.raises(ValueError, match="secret"):
        resolve_config(
            SqlServerConnector, {"server": "s", "database": "d", "user": "u", "password": "x"}, {}
        )


# -- errors and retries ---------------------------------------------------------------------
FIREWALL_TEXT = (
    "Cannot open server 'acme' requested by the login. Client with IP address "
    "'203.0.113.7' is not allowed to access the server.  To enable access, use "
    "the Azure Management Portal or run sp_set_firewall_rule on the master "
    "database to create a firewall rule for this IP address or address range.  "
    "It may take up to five minutes for this change to take effect."
)


@pytest.mark.parametrize(
    ("err", "kind"),
    [
        (
            odbc_error("42000", "Database 'd' on server 's' is not currently available.", 40613),
            ErrorKind.TRANSIENT,
        ),
        (
            odbc_error(
                "08S01", "The service has encountered an error processing your request.", 40197
            ),
            ErrorKind.TRANSIENT,
        ),
        (odbc_error("42000", "The service is currently busy.", 40501), ErrorKind.TRANSIENT),
        (
            odbc_error(
                "42000", "Resource ID : 1. The request limit for the database is 60.", 10928
            ),
            ErrorKind.TRANSIENT,
        ),
        (
            odbc_error("42000", 'Cannot open database "d" requested by the login.', 4060),
            ErrorKind.TRANSIENT,
        ),
        (
            FakeOdbcError(
                "HYT00",
                "[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]Login timeout "
                "expired (0) (SQLDriverConnect)",
            ),
            ErrorKind.TIMEOUT,
        ),
        (odbc_error("28000", "Login failed for user 'ana'.", 18456), ErrorKind.LOGIN),
        (odbc_error("42000", FIREWALL_TEXT, 40615), ErrorKind.FIREWALL),
        (
            FakeOdbcError(
                "01000",
                "[01000] [unixODBC][Driver Manager]Can't open lib 'ODBC Driver 18 "
                "for SQL Server' : file not found (0) (SQLDriverConnect)",
            ),
            ErrorKind.DRIVER_MISSING,
        ),
        (odbc_error("42S02", "Invalid object name 'dbo.nope'.", 208), ErrorKind.OTHER),
    ],
)
def test_classification(err: FakeOdbcError, kind: ErrorKind) -> None:
    diagnosis = classify(err)
    assert diagnosis.kind is kind
    assert diagnosis.retryable == (kind in (ErrorKind.TRANSIENT, ErrorKind.TIMEOUT))


def test_retry_backs_off_then_succeeds_or_gives_up() -> None:
    pauses: list[float] = []
    calls = iter([odbc_error("42000", "busy", 40501), odbc_error("42000", "busy", 49918)])

    def flaky() -> str:
        err = next(calls, None)
        if err is not None:
            raise err
        return "ok"

    policy = RetryPolicy(attempts=4, base_delay=1.0, jitter=0.2)
    assert with_retry(flaky, policy, errors=(FakeOdbcError,), sleep=pauses.append) == "ok"
    assert len(pauses) == 2 and 1.0 <= pauses[0] <= 1.2 and 2.0 <= pauses[1] <= 2.4
    pauses.clear()

    def always_busy() -> None:
        raise odbc_error("42000", "busy", 40613)

    with pytest.raises(FakeOdbcError):
        with_retry(
            always_busy,
            RetryPolicy(attempts=3, jitter=0),
            errors=(FakeOdbcError,),
            sleep=pauses.append,
        )
    assert pauses == [1.0, 2.0]
    pauses.clear()

    def denied() -> None:
        raise odbc_error("28000", "Login failed for user 'ana'.", 18456)

    with pytest.raises(FakeOdbcError):
        with_retry(denied, policy, errors=(FakeOdbcError,), sleep=pauses.append)
    assert pauses == []  # a wrong password is not retried


# -- firewall -------------------------------------------------------------------------------
def test_firewall_error_becomes_instructions() -> None:
    connector = SqlServerConnector(
        SqlServerConfig(
            server="acme.database.windows.net",
            database="d",
            user="u",
            password=SECRET,
            azure_resource_group="rg-data",
        )
    )
    error = connector._fail("connecting", odbc_error("42000", FIREWALL_TEXT, 40615))
    assert isinstance(error, FirewallBlocked) and error.fix is not None
    text = str(error)
    assert (
        "az sql server firewall-rule create --resource-group rg-data --server acme "
        "--name cauce-203.0.113.7 --start-ip-address 203.0.113.7 "
        "--end-ip-address 203.0.113.7"
    ) in text
    assert (
        "EXECUTE sp_set_firewall_rule N'cauce-203.0.113.7', '203.0.113.7', '203.0.113.7';" in text
    )
    assert SECRET not in text
    assert logical_server("Acme.database.windows.net") == "acme"
    assert "--resource-group <resource-group>" in FirewallFix("acme", "203.0.113.7").az_command()


def test_secret_is_scrubbed_from_driver_messages() -> None:
    connector = SqlServerConnector(
        SqlServerConfig(server="s", database="d", user="u", password=SECRET)
    )
    error = connector._fail("connecting", odbc_error("42000", f"bad value {SECRET}", 102))
    assert SECRET not in str(error) and "***" in str(error)


class FakeRules:
    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def create_or_update(self, **kwargs: object) -> str:
        self.calls.append(kwargs)
        return "created"


class FakeSqlClient:
    def __init__(self) -> None:
        self.firewall_rules = FakeRules()


def test_add_firewall_rule_sends_the_rule() -> None:
    client = FakeSqlClient()
    fix = FirewallFix(server="acme", client_ip="203.0.113.7")
    result = add_firewall_rule(
        fix, subscription_id="sub-1", resource_group="rg-data", client=client
    )
    assert result == "created"
    (call,) = client.firewall_rules.calls
    params = call.pop("parameters")
    assert call == {
        "resource_group_name": "rg-data",
        "server_name": "acme",
        "firewall_rule_name": "cauce-203.0.113.7",
    }
    start = params["start_ip_address"] if isinstance(params, dict) else params.start_ip_address
    end = params["end_ip_address"] if isinstance(params, dict) else params.end_ip_address
    assert start == end == "203.0.113.7"
    with pytest.raises(ConnectionError_, match="resource group"):
        add_firewall_rule(fix, subscription_id="sub-1", resource_group=None, client=client)


def test_add_firewall_rule_without_the_sdk_says_what_to_install() -> None:
    try:
        import azure.mgmt.sql  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("azure-mgmt-sql is installed: the missing-SDK message cannot show")
    with pytest.raises(ConnectionError_, match="pip install azure-mgmt-sql azure-identity"):
        add_firewall_rule(
            FirewallFix("acme", "203.0.113.7"), subscription_id="sub-1", resource_group="rg"
        )
