"""The texts of the connection form that come from the connectors' settings models: each
field's title and description, listed so that lupdate collects them for translation (context
``ConnectionForm``), and the titles pydantic derives badly from field names.

``tests/ui/test_connection_form_i18n.py`` fails when a built-in connector's field has a label or
help text without a Spanish translation.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

__all__ = ["BETTER_TITLES", "SCHEMA_TEXT"]

# Titles and descriptions of the built-in connectors' fields, listed here so that lupdate
# collects them for translation (schemas are English; unknown text is shown as is).
SCHEMA_TEXT = (
    QT_TRANSLATE_NOOP("ConnectionForm", "Path"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Host"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Port"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Database"),
    QT_TRANSLATE_NOOP("ConnectionForm", "User"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Password"),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL mode"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Encryption (TLS): disable, allow, prefer, require (encrypted or refused), "
        "verify-ca (and a trusted certificate), verify-full (and the host's name in it).",
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL root certificates"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Encrypted"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Keep the file encrypted (DuckDB's AES-GCM); its key is the secret encryption_key.",
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Encryption key"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm", "Key of the encrypted database file (kept in the secret store)."
    ),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "With ssl: check the certificate (verify-ca), and the host's name in it (verify-full).",
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Connect timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Application name"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Format"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Delimiter"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Header"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Database file: relative to the working directory; ${PROJECT_DIR}/… for one in the project.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Database file (relative to the working directory; ${PROJECT_DIR}/… for one in the project) or ':memory:'.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Directory holding the files (relative to the working directory; ${PROJECT_DIR}/… for one in the project).",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "csv or parquet; by default from each file's extension."),
    QT_TRANSLATE_NOOP("ConnectionForm", "CSV field delimiter."),
    QT_TRANSLATE_NOOP("ConnectionForm", "CSV files have a header row."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Server host name or address."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Database name."),
    QT_TRANSLATE_NOOP("ConnectionForm", "User name."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Password (kept in the secret store)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Seconds to wait for a connection."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Shown in pg_stat_activity."),
    # the warehouses (Snowflake, Redshift, BigQuery)
    QT_TRANSLATE_NOOP("ConnectionForm", "Project"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Google Cloud project that runs the jobs."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Dataset"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Dataset of unqualified table names."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Location"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Where jobs run: US, EU, europe-west1…"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Credentials"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm", "Service-account JSON key file; empty: application-default credentials."
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "API endpoint"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Another API endpoint (an emulator, a private endpoint)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Anonymous"),
    QT_TRANSLATE_NOOP("ConnectionForm", "No credentials: emulators only."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Seconds a request or job may take."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Cluster endpoint host name."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Cluster port."),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Encrypt the connection."),
    QT_TRANSLATE_NOOP("ConnectionForm", "S3 bucket"),
    QT_TRANSLATE_NOOP("ConnectionForm", "S3 bucket for COPY loads."),
    QT_TRANSLATE_NOOP("ConnectionForm", "S3 prefix"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Key prefix of uploaded files."),
    QT_TRANSLATE_NOOP("ConnectionForm", "IAM role"),
    QT_TRANSLATE_NOOP("ConnectionForm", "IAM role ARN COPY reads S3 with."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Region"),
    QT_TRANSLATE_NOOP("ConnectionForm", "The bucket's AWS region."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Rows per INSERT"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Rows per multi-row INSERT (no bucket)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Distribution style"),
    QT_TRANSLATE_NOOP("ConnectionForm", "DISTSTYLE of the tables Cauce creates."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Distribution key"),
    QT_TRANSLATE_NOOP("ConnectionForm", "DISTKEY column (diststyle key)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Sort keys"),
    QT_TRANSLATE_NOOP("ConnectionForm", "SORTKEY columns."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Account"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm", "Account identifier, e.g. 'xy12345.eu-west-1' or 'org-acct'."
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Database."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Schema"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Schema of unqualified table names."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Warehouse"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Virtual warehouse to run in."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Role"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Role to use."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Private key"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "PEM private key for key-pair authentication (kept in the secret store).",
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Private key file"),
    QT_TRANSLATE_NOOP("ConnectionForm", "PEM private key file for key-pair authentication."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Private key passphrase"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Passphrase of an encrypted private key."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Login timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Seconds to wait for a login."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Server"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Host name, e.g. myserver.database.windows.net (or host\\instance for a named instance).",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Authentication"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "sql, entra_password, service_principal, managed_identity or interactive.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Login or Entra user name (UPN)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Client ID"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Application (client) id: service principal, or a user-assigned managed identity.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Password or client secret (kept in the secret store)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Driver"),
    QT_TRANSLATE_NOOP("ConnectionForm", "ODBC driver name as installed."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Encrypt"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Trust server certificate"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Host name in certificate"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Query timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Seconds a statement may run (0: no limit)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Shown in sys.dm_exec_sessions."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Application intent"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Retry attempts"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Tries on Azure's transient errors (1: no retry)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Retry backoff"),
    QT_TRANSLATE_NOOP("ConnectionForm", "First delay between tries, doubled each time (s)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Azure subscription ID"),
    QT_TRANSLATE_NOOP("ConnectionForm", "For the firewall helper: the server's subscription."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Azure resource group"),
    QT_TRANSLATE_NOOP("ConnectionForm", "For the firewall helper: the server's resource group."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Database (schema) name."),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "disabled, required (encrypted, certificate not checked), verify_ca, verify_identity.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL CA file"),
    QT_TRANSLATE_NOOP("ConnectionForm", "CA certificate file (PEM)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL client certificate"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Client certificate file (PEM)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "SSL client key"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Client private key file (PEM)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Read timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Seconds to wait for each read (none: no limit)."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Booleans"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Integer columns (`column` or `table.column`, e.g. tinyint(1) flags) to read as booleans; a value other than 0 or 1 in them is refused. Other integer columns stay integers. The default for every sync and pipeline reading this connection; a sync adds its own columns (source.read.booleans).",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Certificate authorities (PEM file) verify-ca and verify-full trust; 'system' for the system's. Default: ~/.postgresql/root.crt.",  # noqa: E501
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Coerce"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "Columns (`column` or `table.column`) whose values are converted to the declared type even when they do not fit it exactly (a REAL in an INTEGER column is truncated, a non-UTF-8 BLOB in a TEXT column decoded with replacement characters…); other columns refuse such values. The default for every sync and pipeline reading this connection; a sync adds its own columns (source.read.coerce).",  # noqa: E501
    ),
)

#: schema titles that pydantic derived badly from the field name
BETTER_TITLES = {
    "Sslmode": "SSL mode",
    "Sslrootcert": "SSL root certificates",
    "Ssl": "SSL",
    "Iam Role": "IAM role",
    "Api Endpoint": "API endpoint",
    "Schema Name": "Schema",
    "S3 Bucket": "S3 bucket",
    "S3 Prefix": "S3 prefix",
    "Insert Rows": "Rows per INSERT",
    "Diststyle": "Distribution style",
    "Distkey": "Distribution key",
    "Sortkey": "Sort keys",
    "Private Key": "Private key",
    "Private Key File": "Private key file",
    "Private Key Passphrase": "Private key passphrase",
    "Login Timeout": "Login timeout",
    "Encryption Key": "Encryption key",
    "Connect Timeout": "Connect timeout",
    "Application Name": "Application name",
    "Client Id": "Client ID",
    "Trust Server Certificate": "Trust server certificate",
    "Host Name In Certificate": "Host name in certificate",
    "Query Timeout": "Query timeout",
    "Application Intent": "Application intent",
    "Retry Attempts": "Retry attempts",
    "Retry Backoff": "Retry backoff",
    "Azure Subscription Id": "Azure subscription ID",
    "Azure Resource Group": "Azure resource group",
    "Ssl Mode": "SSL mode",
    "Ssl Ca": "SSL CA file",
    "Ssl Cert": "SSL client certificate",
    "Ssl Key": "SSL client key",
    "Read Timeout": "Read timeout",
}
