"""Encryption in transit: one vocabulary for every connector's TLS setting, and what a
connection actually negotiated.

Each connector keeps its driver's own setting (PostgreSQL and Redshift ``sslmode``, MySQL
``ssl_mode``, SQL Server ``encrypt`` and ``trust_server_certificate``; Snowflake and BigQuery
speak HTTPS only) and says, through :meth:`~app.connectors.base.Connector.tls_policy`, which of
these :data:`TLS_MODES` it amounts to:

- ``disable``: never encrypted;
- ``prefer``: encrypted when the server offers it, otherwise not (no protection against an
  attacker on the path);
- ``require``: encrypted or refused, the certificate not checked;
- ``verify-ca``: encrypted, the certificate signed by a trusted authority;
- ``verify-full``: that, and the certificate names the host connected to.

:meth:`~app.connectors.base.Connector.transport` reports what an open connection uses (a
:class:`TransportSecurity`); :func:`check_transport` refuses an unencrypted one under
``require`` or stricter, whatever the driver did, so no connector can fall back to clear text.

>>> TransportSecurity(encrypted=True, verified=True, hostname=True, protocol="TLSv1.3").summary()
'encrypted (TLSv1.3), certificate verified, host name checked'
>>> at_least("verify-ca", "require"), at_least("prefer", "require")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass

from app.connectors.records import ConnectionError_
from app.i18n import _

__all__ = ["TLS_MODES", "TransportSecurity", "at_least", "check_transport"]

TLS_MODES = ("disable", "prefer", "require", "verify-ca", "verify-full")


def at_least(mode: str | None, floor: str) -> bool:
    """Whether ``mode`` is ``floor`` or stricter (None: not a network connection)."""
    return mode in TLS_MODES and TLS_MODES.index(mode) >= TLS_MODES.index(floor)


@dataclass(frozen=True)
class TransportSecurity:
    """The encryption of one connection as the client saw it.

    ``measured``: read from the open connection (the TLS session itself, or the server's own
    view of it); otherwise known from the protocol (HTTPS-only services).
    """

    encrypted: bool
    #: the server's certificate was checked against trusted authorities
    verified: bool = False
    #: and its name against the host connected to
    hostname: bool = False
    protocol: str = ""
    cipher: str = ""
    measured: bool = True
    #: the connection's setting (one of :data:`TLS_MODES`)
    policy: str = ""

    def summary(self) -> str:
        """One line in the current language, e.g. ``encrypted (TLSv1.3), certificate verified``."""
        if not self.encrypted:
            return _("not encrypted")
        parts = [
            _("encrypted ({protocol})").format(protocol=self.protocol)
            if self.protocol
            else _("encrypted")
        ]
        parts.append(_("certificate verified") if self.verified else _("certificate not verified"))
        if self.verified:
            parts.append(_("host name checked") if self.hostname else _("host name not checked"))
        return ", ".join(parts)


def check_transport(name: str, security: TransportSecurity) -> TransportSecurity:
    """``security``, or :class:`ConnectionError_` when its policy requires encryption (or a
    verified certificate) that the connection does not have."""
    if at_least(security.policy, "require") and not security.encrypted:
        raise ConnectionError_(
            _(
                "{connection}: the connection is not encrypted, but its TLS setting is {mode!r}: "
                "refused"
            ).format(connection=name, mode=security.policy)
        )
    if at_least(security.policy, "verify-ca") and not security.verified:
        raise ConnectionError_(
            _(
                "{connection}: the server's certificate was not verified, but the TLS setting "
                "is {mode!r}: refused"
            ).format(connection=name, mode=security.policy)
        )
    return security
