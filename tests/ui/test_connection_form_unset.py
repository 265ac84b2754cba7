"""A setting that may be left unset (``int | None``, such as MySQL's read timeout: none is no
limit) stays unset when the form is saved untouched; the spin box shows "(none)" below its
minimum. It used to show the minimum and save it: opening a MySQL connection and pressing OK set
a 1-second read timeout."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QSpinBox  # noqa: E402

from app.services.connections import connector_types  # noqa: E402
from app.ui.dialogs.connection_form import ConnectionForm  # noqa: E402

pytestmark = pytest.mark.gui


def _mysql_form(qtbot, params):  # type: ignore[no-untyped-def]
    form = ConnectionForm()
    qtbot.addWidget(form)
    ctype = next(c for c in connector_types() if c.type_name == "mysql")
    form.build(ctype, params, stored_secrets=False)
    form.show()
    return form


def test_an_unset_timeout_is_saved_unset_and_can_be_set_and_unset(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = _mysql_form(qtbot, {"host": "db", "database": "shop", "user": "u"})
    spin = form.fields["read_timeout"].widget
    assert isinstance(spin, QSpinBox)
    assert spin.text() == "(none)"
    assert "read_timeout" not in form.params()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "30")
    assert form.params()["read_timeout"] == 30
    spin.setValue(1)
    qtbot.keyClick(spin, Qt.Key.Key_Down)  # one below the smallest timeout: none
    assert spin.text() == "(none)" and "read_timeout" not in form.params()


def test_a_stored_timeout_is_shown_and_kept(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = _mysql_form(qtbot, {"host": "db", "database": "shop", "user": "u", "read_timeout": 5})
    assert form.fields["read_timeout"].widget.text() == "5"
    assert form.params()["read_timeout"] == 5
