"""MySQL's and MariaDB's TLS in the vocabulary of :mod:`app.connectors.tls`."""

from __future__ import annotations

from typing import Any

from app.connectors.tls import TransportSecurity

__all__ = ["POLICIES", "SSL_STATUS_SQL", "session_security"]

#: ssl_mode -> the common TLS mode
POLICIES = {
    "disabled": "disable",
    "required": "require",
    "verify_ca": "verify-ca",
    "verify_identity": "verify-full",
}
SSL_STATUS_SQL = "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')"


def session_security(status: list[tuple[Any, ...]], mode: str) -> TransportSecurity:
    """The session's encryption from its ``Ssl_version`` and ``Ssl_cipher`` status rows.

    >>> session_security([("Ssl_version", "TLSv1.3"), ("Ssl_cipher", "TLS_AES_256_GCM_SHA384")],
    ...                  "verify-full").summary()
    'encrypted (TLSv1.3), certificate verified, host name checked'
    >>> session_security([("Ssl_version", ""), ("Ssl_cipher", "")], "disable").encrypted
    False
    """
    rows = {str(k): str(v or "") for k, v in status}
    cipher = rows.get("Ssl_cipher", "")
    encrypted = bool(cipher)
    return TransportSecurity(
        encrypted=encrypted,
        verified=encrypted and mode in ("verify-ca", "verify-full"),
        hostname=encrypted and mode == "verify-full",
        protocol=rows.get("Ssl_version", ""),
        cipher=cipher,
        policy=mode,
    )
