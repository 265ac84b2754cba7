"""The connections dialog's "Encryption in transit" line: what the connection's TLS setting
asks for (read from the form as it is edited) and, after **Test connection**, what the
connection really used (``app.services.connections.TransportSecurity``)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QWidget

from app.services.connections import TransportSecurity

__all__ = ["TransportInfo"]

_CTX = "TransportInfo"
#: what each TLS mode asks for, in the words of app.connectors.tls
_POLICIES = {
    "disable": QT_TRANSLATE_NOOP("TransportInfo", "never encrypted (disable)"),
    "prefer": QT_TRANSLATE_NOOP("TransportInfo", "encrypted only if the server offers it (prefer)"),
    "require": QT_TRANSLATE_NOOP(
        "TransportInfo", "encrypted or refused; certificate not checked (require)"
    ),
    "verify-ca": QT_TRANSLATE_NOOP(
        "TransportInfo", "encrypted or refused; certificate checked (verify-ca)"
    ),
    "verify-full": QT_TRANSLATE_NOOP(
        "TransportInfo",
        "encrypted or refused; certificate and host name checked (verify-full)",
    ),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


class TransportInfo(QWidget):
    """Two rows: the setting (``policy_label``) and the tested state (``state_label``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy_label = QLabel()
        self.policy_label.setObjectName("transport_policy")
        self.policy_label.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("transport_state")
        self.state_label.setWordWrap(True)
        lines = self.fontMetrics().lineSpacing() * 2  # room for a wrapped line
        for label in (self.policy_label, self.state_label):
            label.setMinimumHeight(lines)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Encryption in transit"), self.policy_label)
        layout.addRow(self.tr("Last test"), self.state_label)
        self.show_policy(None)

    def show_policy(self, policy: str | None) -> None:
        """Show what the setting asks for; hidden for connections not made over a network."""
        self.setVisible(policy is not None)
        self.policy_label.setText(_tr(_POLICIES[policy]) if policy in _POLICIES else "")
        self.show_state(None)

    def show_state(self, security: TransportSecurity | None) -> None:
        """Show what the last test found (nothing yet: "not tested")."""
        if security is None:
            self.state_label.setText(self.tr("not tested"))
            self.state_label.setStyleSheet("")
            return
        if not security.encrypted:
            text = self.tr("not encrypted")
        else:
            parts = [
                self.tr("encrypted (%1)").replace("%1", security.protocol)
                if security.protocol
                else self.tr("encrypted")
            ]
            parts.append(
                self.tr("certificate verified")
                if security.verified
                else self.tr("certificate not verified")
            )
            if security.verified:
                parts.append(
                    self.tr("host name checked")
                    if security.hostname
                    else self.tr("host name not checked")
                )
            if not security.measured:
                parts.append(self.tr("HTTPS only"))
            text = ", ".join(parts)
        self.state_label.setText(text)
        good = security.encrypted and security.verified
        self.state_label.setStyleSheet("" if good else "color: #b35c00;")
