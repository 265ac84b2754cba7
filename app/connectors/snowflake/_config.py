"""The settings of a Snowflake connection, and the key-pair authentication helper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from app.connectors.base import ConnectionError_, ConnectorConfig, secret_field
from app.i18n import _

__all__ = ["SnowflakeConfig", "connect_args", "private_key_der"]


class SnowflakeConfig(ConnectorConfig):
    """Settings of a Snowflake connection (password and private key are secrets)."""

    account: str = Field(description="Account identifier, e.g. 'xy12345.eu-west-1' or 'org-acct'.")
    user: str = Field(description="User name.")
    database: str = Field(description="Database.")
    schema_name: str = Field(default="PUBLIC", description="Schema of unqualified table names.")
    warehouse: str | None = Field(default=None, description="Virtual warehouse to run in.")
    role: str | None = Field(default=None, description="Role to use.")
    password: str | None = secret_field("Password (kept in the secret store).")
    private_key: str | None = secret_field(
        "PEM private key for key-pair authentication (kept in the secret store)."
    )
    private_key_file: str | None = Field(
        default=None, description="PEM private key file for key-pair authentication."
    )
    private_key_passphrase: str | None = secret_field("Passphrase of an encrypted private key.")
    login_timeout: int = Field(default=30, ge=1, description="Seconds to wait for a login.")


def private_key_der(pem: bytes, passphrase: str | None) -> bytes:
    """The PKCS#8 DER bytes of a PEM private key (encrypted when ``passphrase`` is given), as
    the Snowflake connector takes them; a key that cannot be read is a clear error."""
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(
            pem, password=passphrase.encode() if passphrase else None
        )
    except (ValueError, TypeError) as err:
        raise ConnectionError_(
            _(
                "the private key could not be read ({error}); check the key and its passphrase"
            ).format(error=str(err).split("\n")[0])
        ) from None
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def connect_args(config: SnowflakeConfig, root: Path) -> dict[str, Any]:
    """The keyword arguments of ``snowflake.connector.connect`` for ``config``."""
    args: dict[str, Any] = {
        "account": config.account,
        "user": config.user,
        "database": config.database,
        "schema": config.schema_name,
        "login_timeout": config.login_timeout,
        "session_parameters": {"TIMEZONE": "UTC", "QUOTED_IDENTIFIERS_IGNORE_CASE": False},
        "autocommit": True,
    }
    if config.warehouse:
        args["warehouse"] = config.warehouse
    if config.role:
        args["role"] = config.role
    pem: bytes | None = None
    if config.private_key:
        pem = config.private_key.encode()
    elif config.private_key_file:
        path = Path(config.private_key_file).expanduser()
        try:
            pem = (path if path.is_absolute() else root / path).read_bytes()
        except OSError as err:
            raise ConnectionError_(
                _("the private key file {path!r} cannot be read: {error}").format(
                    path=config.private_key_file, error=err.strerror or err
                )
            ) from None
    if pem is not None:
        args["private_key"] = private_key_der(pem, config.private_key_passphrase)
    elif config.password:
        args["password"] = config.password
    else:
        raise ConnectionError_(
            _("a Snowflake connection needs a password or a private key (none is set)")
        )
    return args
