"""A form for one connection's settings, generated from its connector's JSON Schema.

Each property of the ``Config`` schema becomes an editor: text, number, check box, or a
choice for enums. Secret fields (``"secret": true``) become password fields whose values are
kept apart (:meth:`ConnectionForm.typed_secrets`) and never enter ``Connection.params``.
A stored value that is not of the field's type (``"${PG_PORT}"`` in a port) keeps a text
editor, so environment references survive editing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
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
from app.ui.dialogs.connection_texts import BETTER_TITLES

__all__ = ["ConnectionForm", "field_title"]

_CTX = "ConnectionForm"
_INT_MAX = 2**31 - 1


#: fields naming a file (or the files connector's directory): a Browse… button beside them
FILE_FIELDS = frozenset(
    {"path", "credentials", "private_key_file", "sslrootcert", "ssl_ca", "ssl_cert", "ssl_key"}
)


def field_title(name: str, schema: dict[str, Any]) -> str:
    """The translated label of a field (its schema title, else its name)."""
    title = str(schema.get("title") or name.replace("_", " ").capitalize())
    title = BETTER_TITLES.get(title, title)
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
        # a field that may be unset (``int | None``) shows "(none)" one step below its
        # minimum: an unset value is never saved as the minimum (a 1 s read timeout)
        none = QCoreApplication.translate("ConnectionForm", "(none)")
        if self.kind == "integer":
            spin = QSpinBox(parent)
            low = int(inner.get("minimum", 0)) - (1 if self.nullable else 0)
            spin.setRange(low, int(inner.get("maximum", _INT_MAX)))
            if self.nullable:
                spin.setSpecialValueText(none)
            return spin
        if self.kind == "number":
            dspin = QDoubleSpinBox(parent)
            dspin.setDecimals(3)
            low_f = float(inner.get("minimum", -1e12)) - (1 if self.nullable else 0)
            dspin.setRange(low_f, float(inner.get("maximum", 1e12)))
            if self.nullable:
                dspin.setSpecialValueText(none)
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
            unset = w.minimum() if self.nullable else 0.0
            w.setValue(float(value) if value is not None else unset)
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
            return None if self.nullable and w.value() == w.minimum() else w.value()
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
