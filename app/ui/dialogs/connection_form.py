"""A form for one connection's settings, generated from its connector's JSON Schema.

Each property of the ``Config`` schema becomes an editor: text, number, check box, or a
choice for enums. Secret fields (``"secret": true``) become password fields whose values are
kept apart (:meth:`ConnectionForm.typed_secrets`) and never enter ``Connection.params``.
A stored value that is not of the field's type (``"${PG_PORT}"`` in a port) keeps a text
editor, so environment references survive editing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.services.connections import ConnectorType

__all__ = ["ConnectionForm", "field_title"]

_CTX = "ConnectionForm"
_INT_MAX = 2**31 - 1


# Titles and descriptions of the built-in connectors' fields, listed here so that lupdate
# collects them for translation (schemas are English; unknown text is shown as is).
_SCHEMA_TEXT = (
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
        "Certificate authorities (PEM file) verify-ca and verify-full trust; "
        "'system' for the system's. Default: ~/.postgresql/root.crt.",
    ),
    QT_TRANSLATE_NOOP(
        "ConnectionForm",
        "With ssl: check the certificate (verify-ca), and the host's name in it (verify-full).",
    ),
    QT_TRANSLATE_NOOP("ConnectionForm", "Connect Timeout"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Application Name"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Format"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Delimiter"),
    QT_TRANSLATE_NOOP("ConnectionForm", "Header"),
    QT_TRANSLATE_NOOP(
        "ConnectionForm", "Database file; relative paths resolve against the project."
    ),  # noqa: E501
    QT_TRANSLATE_NOOP("ConnectionForm", "Database file (relative to the project) or ':memory:'."),
    QT_TRANSLATE_NOOP("ConnectionForm", "Directory holding the files (relative to the project)."),
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
)

#: schema titles that pydantic derived badly from the field name
_BETTER_TITLES = {
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
}
#: fields naming a file (or the files connector's directory): a Browse… button beside them
FILE_FIELDS = frozenset({"path", "credentials", "private_key_file", "sslrootcert"})


def field_title(name: str, schema: dict[str, Any]) -> str:
    """The translated label of a field (its schema title, else its name)."""
    title = str(schema.get("title") or name.replace("_", " ").capitalize())
    title = _BETTER_TITLES.get(title, title)
    return QCoreApplication.translate(_CTX, title)


def _describe(schema: dict[str, Any]) -> str:
    text = str(schema.get("description") or "")
    return QCoreApplication.translate(_CTX, text) if text else ""


def _variants(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The non-null variant of an ``anyOf`` (or the schema itself) and whether null is allowed."""
    options = schema.get("anyOf")
    if not options:
        return schema, False
    concrete = [o for o in options if o.get("type") != "null"]
    return (concrete[0] if len(concrete) == 1 else {"type": "string"}), len(concrete) < len(options)


class _Field:
    """One editor and how to read and write its value."""

    def __init__(
        self,
        name: str,
        schema: dict[str, Any],
        value: Any,
        *,
        secret: bool,
        browse: str | None,
        parent: QWidget,
    ) -> None:
        self.name, self.schema, self.secret = name, schema, secret
        self.default = schema.get("default")
        inner, self.nullable = _variants(schema)
        kind = inner.get("type")
        if secret:
            kind = "secret"
        elif "enum" in inner:
            kind = "enum"
        elif kind in ("integer", "number", "array") and isinstance(value, str):
            kind = "string"  # an environment reference such as "${PG_PORT}"
        self.kind = kind
        self.widget = self._make(inner, parent)
        self.container: QWidget = self.widget
        if browse and kind == "string":
            self.container = self._with_browse(browse, parent)
        self.set(value if value is not None else self.default)
        description = _describe(schema)
        if description:
            self.widget.setToolTip(description)

    def _make(self, inner: dict[str, Any], parent: QWidget) -> QWidget:
        if self.kind == "secret":
            edit = QLineEdit(parent)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            return edit
        if self.kind == "enum":
            combo = QComboBox(parent)
            if self.nullable:
                combo.addItem(QCoreApplication.translate("ConnectionForm", "(automatic)"), None)
            for option in inner["enum"]:
                combo.addItem(str(option), option)
            return combo
        if self.kind == "boolean":
            return QCheckBox(parent)
        if self.kind == "integer":
            spin = QSpinBox(parent)
            spin.setRange(int(inner.get("minimum", 0)), int(inner.get("maximum", _INT_MAX)))
            return spin
        if self.kind == "number":
            dspin = QDoubleSpinBox(parent)
            dspin.setRange(float(inner.get("minimum", -1e12)), float(inner.get("maximum", 1e12)))
            dspin.setDecimals(3)
            return dspin
        edit = QLineEdit(parent)
        if self.kind == "array":  # a list of names (Redshift's sort keys): comma-separated
            edit.setPlaceholderText(
                QCoreApplication.translate("ConnectionForm", "comma-separated, e.g. a, b")
            )
            return edit
        if "maxLength" in inner:
            edit.setMaxLength(int(inner["maxLength"]))
        if self.default is not None:
            edit.setPlaceholderText(str(self.default))
        return edit

    def _with_browse(self, mode: str, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.widget.setParent(box)
        row.addWidget(self.widget, 1)
        button = QToolButton(box)
        button.setText(QCoreApplication.translate("ConnectionForm", "Browse…"))
        button.clicked.connect(lambda: self._browse(mode, box))
        row.addWidget(button)
        return box

    def _browse(self, mode: str, parent: QWidget) -> None:
        assert isinstance(self.widget, QLineEdit)
        if mode == "dir":
            path = QFileDialog.getExistingDirectory(
                parent, field_title(self.name, self.schema), self.widget.text()
            )
        else:
            path, _ = QFileDialog.getOpenFileName(
                parent, field_title(self.name, self.schema), self.widget.text()
            )
        if path:
            self.widget.setText(path)

    def set(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            index = w.findData(value)
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value) if value is not None else w.minimum())
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(float(value) if value is not None else 0.0)
        elif isinstance(w, QLineEdit) and self.kind == "array":
            w.setText(", ".join(str(v) for v in value) if isinstance(value, list) else "")
        elif isinstance(w, QLineEdit) and not self.secret:
            w.setText("" if value is None else str(value))

    def get(self) -> Any:
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            return w.value()
        assert isinstance(w, QLineEdit)
        text = w.text().strip() if not self.secret else w.text()
        if self.kind == "array":
            items = [item.strip() for item in text.split(",") if item.strip()]
            return items or None
        return text or None


class ConnectionForm(QWidget):
    """The settings of one connection type; rebuilt by :meth:`build` for another type."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, _Field] = {}
        self.required: set[str] = set()
        self._original: dict[str, Any] = {}
        self._extra: dict[str, Any] = {}

    def build(self, ctype: ConnectorType, params: dict[str, Any], *, stored_secrets: bool) -> None:
        """Show the fields of ``ctype`` filled from ``params``."""
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.fields.clear()
        props: dict[str, Any] = ctype.schema.get("properties", {})
        self.required = set(ctype.schema.get("required", []))
        self._original = dict(params)
        self._extra = {k: v for k, v in params.items() if k not in props}
        for name, schema in props.items():
            secret = name in ctype.secrets
            browse = (
                ("dir" if ctype.type_name == "files" else "file") if name in FILE_FIELDS else None
            )
            field = _Field(
                name, schema, params.get(name), secret=secret, browse=browse, parent=self
            )
            if secret:
                field.widget.setPlaceholderText(
                    QCoreApplication.translate("ConnectionForm", "Stored; leave empty to keep it")
                    if stored_secrets
                    else QCoreApplication.translate("ConnectionForm", "Goes to the secret store")
                )
            elif name in self.required and isinstance(field.widget, QLineEdit):
                field.widget.setPlaceholderText(
                    QCoreApplication.translate("ConnectionForm", "Required")
                )
            label = QLabel(field_title(name, schema) + ("" if name not in self.required else " *"))
            label.setBuddy(field.widget)
            label.setToolTip(_describe(schema))
            self.layout_.addRow(label, field.container)
            self.fields[name] = field
            for signal in ("textChanged", "currentIndexChanged", "toggled", "valueChanged"):
                if hasattr(field.widget, signal):
                    getattr(field.widget, signal).connect(self.changed)

    def params(self) -> dict[str, Any]:
        """The non-secret settings to store: set values, defaults only where they were stored."""
        out = dict(self._extra)
        for name, field in self.fields.items():
            if field.secret:
                continue
            value = field.get()
            if value is None:
                continue
            if name in self._original or value != field.default:
                out[name] = value
        return out

    def typed_secrets(self) -> dict[str, str]:
        """Secret values typed in this form (fields left empty are not included)."""
        return {name: f.get() for name, f in self.fields.items() if f.secret and f.get()}

    def missing(self) -> list[str]:
        """Titles of the required fields left empty."""
        return [
            field_title(n, f.schema)
            for n, f in self.fields.items()
            if n in self.required and not f.secret and f.get() in (None, "")
        ]
