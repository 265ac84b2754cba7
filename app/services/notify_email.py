"""E-mail notifications: SMTP with STARTTLS (required), a multipart text + HTML message.

The channel's URL is ``smtp://[user@]host[:port]`` (port 587 by default); the password comes
from the secret store. The server's address is checked against SSRF like a webhook's and the
connection is opened to the checked address, while STARTTLS verifies the certificate against
the host name. A server that does not offer STARTTLS is refused: nothing is sent in clear.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

from app.i18n import _
from app.model.alerts import ChannelDefinition
from app.services.notify_http import NotificationError, check_url, resolve_checked
from app.services.notify_messages import email_message

__all__ = ["send_email"]


def build_email(channel: ChannelDefinition, event: dict[str, Any]) -> EmailMessage:
    subject, text, html = email_message(event)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=event["id"])
    message["X-Cauce-Event-Id"] = event["id"]
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_email(channel: ChannelDefinition, event: dict[str, Any], password: str | None) -> None:
    host, port = check_url(channel.url, schemes=("smtp",))
    user = urlsplit(channel.url).username
    addresses = resolve_checked(host, port)
    context = ssl.create_default_context()
    last: OSError | None = None
    for address in addresses:
        smtp = smtplib.SMTP(timeout=30)
        try:
            smtp.connect(address, port)
            smtp._host = host  # type: ignore[attr-defined] # STARTTLS checks the certificate against the name, not the IP
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise NotificationError(
                    _("the SMTP server {host} does not offer STARTTLS: refused").format(host=host)
                )
            smtp.starttls(context=context)
            smtp.ehlo()
            if user:
                smtp.login(unquote(user), password or "")
            smtp.send_message(build_email(channel, event))
            return
        except (smtplib.SMTPConnectError, ConnectionRefusedError) as err:
            last = err
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    raise last or OSError(_("cannot connect to {host}").format(host=host))
