"""Azure SQL's server firewall: explain error 40615 and, if asked, add the missing rule.

Azure refuses a client whose public address no firewall rule allows, with error 40615 naming
that address. :func:`firewall_fix` turns it into the two ways to open the door: the Azure CLI
command and the T-SQL statement (run in ``master`` by a server admin).
:func:`add_firewall_rule` does it through the Azure management SDK, which is optional: it is
imported only when used (``pip install azure-mgmt-sql azure-identity``).

>>> fix = FirewallFix(server="acme", client_ip="203.0.113.7")
>>> fix.tsql()
"EXECUTE sp_set_firewall_rule N'cauce-203.0.113.7', '203.0.113.7', '203.0.113.7';"
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from app.connectors.base import ConnectionError_
from app.i18n import _

__all__ = [
    "AZURE_SQL_SUFFIXES",
    "FirewallFix",
    "add_firewall_rule",
    "firewall_fix",
    "logical_server",
]

#: host name suffixes of Azure SQL logical servers (public cloud, China, US Government)
AZURE_SQL_SUFFIXES = (
    ".database.windows.net",
    ".database.chinacloudapi.cn",
    ".database.usgovcloudapi.net",
)
_RG_PLACEHOLDER = "<resource-group>"


def logical_server(host: str) -> str:
    """The logical server name Azure knows (``acme`` for ``acme.database.windows.net``)."""
    host = host.strip().lower()
    for suffix in AZURE_SQL_SUFFIXES:
        if host.endswith(suffix):
            return host[: -len(suffix)]
    return host.split(".", 1)[0]


@dataclass(frozen=True)
class FirewallFix:
    """A firewall rule that would let ``client_ip`` reach the logical server ``server``."""

    server: str
    client_ip: str

    def __post_init__(self) -> None:
        ipaddress.ip_address(self.client_ip)  # raises ValueError on anything but an address

    @property
    def rule_name(self) -> str:
        return f"cauce-{self.client_ip}"

    def az_command(self, resource_group: str | None = None) -> str:
        """The Azure CLI command that adds the rule."""
        return (
            f"az sql server firewall-rule create --resource-group "
            f"{resource_group or _RG_PLACEHOLDER} --server {self.server} "
            f"--name {self.rule_name} --start-ip-address {self.client_ip} "
            f"--end-ip-address {self.client_ip}"
        )

    def tsql(self) -> str:
        """The T-SQL statement that adds the rule (run in ``master`` as a server admin)."""
        statement = exp.Execute(
            this=exp.Table(this=exp.to_identifier("sp_set_firewall_rule")),
            expressions=[
                exp.National(this=self.rule_name),
                exp.Literal.string(self.client_ip),
                exp.Literal.string(self.client_ip),
            ],
        )
        return statement.sql("tsql") + ";"

    def message(self, resource_group: str | None = None) -> str:
        """The explanation shown to the user, with both ways to add the rule."""
        # Translators: {command} is an Azure CLI command line, {statement} a T-SQL statement
        return _(
            "Azure SQL's firewall does not allow this computer (public IP address "
            "{client_ip}) to reach server '{server}'. Add a firewall rule, "
            "either with the Azure CLI:\n  {command}\n"
            "or, as a server admin connected to the master database:\n  {statement}\n"
            "It may take up to five minutes to take effect. Cauce can also add the rule "
            "for you through the Azure management API (needs azure-mgmt-sql and "
            "azure-identity, and rights on the server)."
        ).format(
            client_ip=self.client_ip,
            server=self.server,
            command=self.az_command(resource_group),
            statement=self.tsql(),
        )


def firewall_fix(client_ip: str | None, host: str) -> FirewallFix | None:
    """The fix for a 40615 error whose message named ``client_ip`` (``None`` if it did not)."""
    if not client_ip:
        return None
    try:
        return FirewallFix(server=logical_server(host), client_ip=client_ip)
    except ValueError:
        return None


def _rule_parameters(ip: str) -> Any:
    """The ``FirewallRule`` body the SDK sends (a plain dict when the SDK is not installed)."""
    try:
        from azure.mgmt.sql.models import FirewallRule
    except ImportError:
        return {"start_ip_address": ip, "end_ip_address": ip}
    return FirewallRule(start_ip_address=ip, end_ip_address=ip)


def _management_client(subscription_id: str) -> Any:
    try:
        from azure.identity import DefaultAzureCredential
        from azure.mgmt.sql import SqlManagementClient
    except ImportError:
        raise ConnectionError_(
            _(
                "adding the firewall rule for you needs the Azure management SDK: "
                "pip install azure-mgmt-sql azure-identity (or run the command shown)"
            )
        ) from None
    return SqlManagementClient(DefaultAzureCredential(), subscription_id)


def add_firewall_rule(
    fix: FirewallFix, *, subscription_id: str | None, resource_group: str | None, client: Any = None
) -> Any:
    """Create (or update) the rule through the Azure management API; returns the SDK's result.

    ``client`` is a ``SqlManagementClient``; by default one is built with
    ``DefaultAzureCredential`` (Azure CLI login, environment, managed identity...).
    """
    if not subscription_id or not resource_group:
        raise ConnectionError_(
            _(
                "adding the firewall rule needs the server's Azure subscription id and resource "
                "group (connection settings azure_subscription_id and azure_resource_group)"
            )
        )
    client = client if client is not None else _management_client(subscription_id)
    try:
        return client.firewall_rules.create_or_update(
            resource_group_name=resource_group,
            server_name=fix.server,
            firewall_rule_name=fix.rule_name,
            parameters=_rule_parameters(fix.client_ip),
        )
    except Exception as err:  # noqa: BLE001 - the SDK raises many HTTP/auth error types
        raise ConnectionError_(
            _("could not add firewall rule {rule!r} on server {server!r}: {error}").format(
                rule=fix.rule_name, server=fix.server, error=str(err).strip() or type(err).__name__
            )
        ) from None
