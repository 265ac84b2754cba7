"""Asking for a bundle's passphrase: to encrypt an export (typed twice, optional) or to open
an encrypted bundle for import. The passphrase goes to ``app.services.bundles`` only; it is
never stored."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

__all__ = ["PassphraseDialog"]


class PassphraseDialog(QDialog):
    """``confirm=True``: an export's optional encryption (a box, the passphrase twice);
    ``confirm=False``: the passphrase of an encrypted bundle, once.

    After ``exec()`` is accepted, :meth:`passphrase` is the text typed (``""``: no
    encryption chosen).
    """

    def __init__(self, parent: QWidget | None = None, *, confirm: bool, bundle: str = "") -> None:
        super().__init__(parent)
        self.confirm = confirm
        self.setWindowTitle(
            self.tr("Encrypt the bundle?") if confirm else self.tr("Encrypted bundle")
        )
        self.encrypt_box = QCheckBox(self.tr("Encrypt the bundle with a passphrase"))
        self.encrypt_box.setVisible(confirm)
        self.first = QLineEdit()
        self.first.setObjectName("passphrase")
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setObjectName("passphrase_again")
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase"), self.first)
        if confirm:
            form.addRow(self.tr("Again"), self.second)
        else:
            self.second.hide()
        intro = QLabel(
            self.tr(
                "Whoever imports or runs the bundle will need this passphrase. It is not "
                "stored anywhere: keep it safe."
            )
            if confirm
            else self.tr("%1 is encrypted. Type its passphrase.").replace("%1", bundle)
        )
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.encrypt_box)
        box.addLayout(form)
        box.addWidget(self.hint)
        box.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        for signal in (self.encrypt_box.toggled, self.first.textChanged, self.second.textChanged):
            signal.connect(self._check)
        self._check()

    @property
    def ok_button(self) -> QWidget:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def passphrase(self) -> str:
        """What was typed; ``""`` when encryption was not chosen."""
        if self.confirm and not self.encrypt_box.isChecked():
            return ""
        return self.first.text()

    def _check(self) -> None:
        wanted = not self.confirm or self.encrypt_box.isChecked()
        self.first.setEnabled(wanted)
        self.second.setEnabled(wanted)
        problem = ""
        if wanted and not self.first.text():
            problem = self.tr("Type a passphrase.")
        elif wanted and self.confirm and self.first.text() != self.second.text():
            problem = self.tr("The two passphrases differ.")
        self.hint.setText(problem)
        self.ok_button.setEnabled(not problem)
