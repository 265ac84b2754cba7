"""Spanish beyond menus: undo texts, property forms, run statuses, counts, live switches.

Each test drives the GUI in Spanish and reads what a user would see, so that a text that
escapes translation (a new undo command, a new component parameter, a status from the
engine) fails here. Screenshots go to ``/tmp/cauce-shots``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from .conftest import node_id, shot, wait_validated

pytestmark = pytest.mark.gui
UI = Path(__file__).resolve().parents[2] / "app" / "ui"


def test_undo_texts_in_spanish(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    undo, redo = win.actions_by_name["undo"], win.actions_by_name["redo"]
    paid = node_id(win, "paid_lines")
    win.select_node(paid)
    win.properties.editor("condition").edit.setPlainText("Total > 1")
    assert undo.text() == "&Deshacer: Editar paid_lines: Condición"
    win.bridge.rename_node(paid, "pagadas")
    assert undo.text() == "&Deshacer: Renombrar a pagadas"
    added = win.bridge.add_node("filter")
    added_name = win.pipeline.node(added).name
    assert undo.text() == f"&Deshacer: Añadir {added_name}"
    win.bridge.delete_nodes([added])
    assert undo.text() == "&Deshacer: Eliminar 1 nodo"
    win.bridge.delete_nodes([node_id(win, "ordered"), node_id(win, "mart")])
    assert undo.text() == "&Deshacer: Eliminar 2 nodos"
    undo.trigger()
    assert redo.text() == "&Rehacer: Eliminar 2 nodos"
    edge = next(e for e in win.pipeline.edges if e.target.node == node_id(win, "amounts"))
    win.bridge.disconnect_ports(
        edge.source.node, edge.source.port, edge.target.node, edge.target.port
    )
    assert undo.text() == "&Deshacer: Desconectar"
    win.bridge.connect_ports(edge.source.node, edge.source.port, edge.target.node, edge.target.port)
    assert undo.text() == "&Deshacer: Conectar"
    win.bridge.move_nodes({paid: (10.0, 20.0)})
    assert undo.text() == "&Deshacer: Mover"
    history = [win.stack.text(i) for i in range(win.stack.count())]  # what an undo view lists
    assert history[:2] == ["Editar paid_lines: Condición", "Renombrar a pagadas"]
    assert history[2] == f"Añadir {added_name}"
    assert history[3:] == ["Eliminar 1 nodo", "Desconectar", "Conectar", "Mover"]  # redo dropped


def test_undo_history_follows_a_live_switch(qapp, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.i18n import install_translator

    win = window
    win.open_project(chinook_dir, "revenue")
    win.bridge.delete_nodes([node_id(win, "ordered"), node_id(win, "mart")])
    win.bridge.set_param(node_id(win, "paid_lines"), "condition", "Total > 2")
    assert [win.stack.text(i) for i in range(2)] == [
        "Delete 2 node(s)",
        "Edit paid_lines: Condition",
    ]
    try:
        install_translator(qapp, "es")
        QApplication.processEvents()
        assert [win.stack.text(i) for i in range(2)] == [
            "Eliminar 2 nodos",
            "Editar paid_lines: Condición",
        ]
        assert win.actions_by_name["undo"].text() == "&Deshacer: Editar paid_lines: Condición"
    finally:
        install_translator(qapp, "en")
        QApplication.processEvents()
    assert win.actions_by_name["undo"].text() == "&Undo Edit paid_lines: Condition"


def _form_rows(panel) -> dict[str, tuple[QLabel, Any]]:  # type: ignore[no-untyped-def]
    """field -> (its label, its editor) in the properties panel's form.

    A table or SQL editor spans the form's width, its label on the row above it.
    """
    form = panel.widget().findChild(QFormLayout)
    rows = {}
    for field, editor in panel.editors.items():
        label = form.labelForField(editor.parentWidget()) or panel.labels[field]
        assert label is panel.labels[field] and form.indexOf(label) >= 0, field
        rows[field] = (label, editor)
    return rows


def test_property_forms_in_spanish(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    """Every built-in component's form: labels, tooltips, record headers, choices."""
    from app.nodes.registry import node_registry
    from app.ui.component_texts import CHOICE_FIELDS, field_label
    from app.ui.properties.editors import ChoiceEditor, NullableBoolEditor
    from app.ui.properties.records import RecordsEditor

    win = window
    win.open_project(chinook_dir, "revenue")
    english: list[str] = []
    for component in node_registry().types():
        if not component.__module__.startswith("app."):
            continue
        node_id = win.bridge.add_node(component.type_name)
        win.select_node(node_id)
        schema = component.Params.model_json_schema()
        rows = _form_rows(win.properties)
        assert set(rows) == set(schema.get("properties", {})), component.type_name
        for field, (label, editor) in rows.items():
            key = f"{component.type_name}.{field}"
            if label.text() == field_label(field) and field != "sql":
                english.append(f"{key} label {label.text()!r}")
            description = schema["properties"][field].get("description")
            if description and label.toolTip() == description:
                english.append(f"{key} tooltip {description!r}")
            if isinstance(editor, RecordsEditor):
                for col in range(editor.table.columnCount()):
                    header = editor.table.horizontalHeaderItem(col)
                    name = list(editor.fields)[col]
                    if header.text() == field_label(name):
                        english.append(f"{key}.{name} header {header.text()!r}")
            if isinstance(editor, NullableBoolEditor):
                shown = [editor.combo.itemText(i) for i in range(editor.combo.count())]
                assert shown == ["", "sí", "no"], key
            elif isinstance(editor, ChoiceEditor) and key in CHOICE_FIELDS:
                for i in range(editor.combo.count()):
                    value, text = editor.combo.itemData(i), editor.combo.itemText(i)
                    if value and text == value and value not in ("csv", "parquet"):
                        english.append(f"{key} choice {value!r}")
        if component.type_name in ("aggregate", "destination", "join"):
            assert shot(win.properties, f"properties-es-{component.type_name}")
    assert not english, "shown in English:\n" + "\n".join(english)


def test_spanish_choice_keeps_the_stored_value(spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    mart = node_id(win, "mart")
    win.select_node(mart)
    combo = win.properties.editor("mode").combo
    assert combo.currentText() == "reemplazar" and combo.currentData() == "replace"
    combo.setCurrentIndex(combo.findText("combinar"))
    assert win.pipeline.node(mart).params["mode"] == "merge"
    win.stack.undo()
    assert win.pipeline.node(mart).params["mode"] == "replace"
    assert combo.currentText() == "reemplazar"


def test_run_statuses_and_counts_in_spanish(qtbot, spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    """The console's table and log, the recent runs and the banner after a run."""
    win = window
    win.open_project(chinook_dir, "revenue")
    wait_validated(qtbot, win)
    with qtbot.waitSignal(win.runner.finished, timeout=60_000):
        win.actions_by_name["run"].trigger()
    console = win.console
    assert console.status_of("mart") == "succeeded"
    assert console.status_text_of("mart") == "correcto"
    headers = [console.nodes.horizontalHeaderItem(i).text() for i in range(4)]
    assert headers == ["Nodo", "Estado", "Filas", "Segundos"]
    log = console.log.toPlainText()
    assert "tracks: terminado en " in log and ", 3503 filas" in log  # grouped from 5 digits
    assert "canalización revenue: correcta en " in log
    assert "succeeded" not in log and " rows" not in log
    seconds = [console.nodes.item(r, 3).text() for r in range(console.nodes.rowCount())]
    assert all("," in s and "." not in s for s in seconds), seconds
    qtbot.waitUntil(
        lambda: (
            win.explorer.runs.childCount() > 0 and "correcta" in win.explorer.runs.child(0).text(0)
        ),
        timeout=15_000,
    )
    assert "succeeded" not in win.explorer.runs.child(0).text(0)
    banner = win.notifier.banners[-1]
    assert banner.title_label.text() == "Ejecución correcta"
    assert banner.message_label.text().startswith("revenue en ")
    assert "," in banner.message_label.text()
    win.select_node(node_id(win, "by_country_genre_year"))
    assert shot(win, "editor-es-after-run")


def test_live_switch_retranslates_panels(qtbot, qapp, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.i18n import install_translator

    win = window
    win.open_project(chinook_dir, "revenue")
    win.select_node(node_id(win, "paid_lines"))
    win.console.start("revenue", ["mart"])
    rows = _form_rows(win.properties)
    assert rows["condition"][0].text() == "Condition"
    try:
        install_translator(qapp, "es")
        QApplication.processEvents()
        rows = _form_rows(win.properties)
        assert rows["condition"][0].text() == "Condición"
        assert rows["condition"][0].toolTip().startswith("Condición SQL")
        assert win.console.status_text_of("mart") == "pendiente"
        assert win.console.nodes.horizontalHeaderItem(0).text() == "Nodo"
        assert win.explorer.pipelines.text(0) == "Canalizaciones"
        assert win.preview.preview_button.text() == "Vista previa"
        assert win.schema.headerItem().text(0) == "Columna"
        assert win.sql_view.dialect_label.text() == "Dialecto"
        win.bridge.select_ids(win.pipeline, [])
        assert win.properties.widget().text() == "Seleccione un nodo para editar sus propiedades."
    finally:
        install_translator(qapp, "en")
        QApplication.processEvents()
    assert win.console.status_text_of("mart") == "pending"
    assert win.explorer.pipelines.text(0) == "Pipelines"


def test_sync_statuses_modes_and_counts_in_spanish(spanish) -> None:  # type: ignore[no-untyped-def]
    from app.model.sync_events import SchemaChangeDetected, SyncFinished, SyncProgress, SyncStarted
    from app.services.sync_status import SyncOverview
    from app.ui.syncs.events import EventFormatter
    from app.ui.syncs.models import SyncListModel, format_rows

    model = SyncListModel()
    model.set_rows(
        [
            SyncOverview("a", "src", ("dst",), "merge", "succeeded", None, 1234567),
            SyncOverview("b", "src", ("dst",), "full", None),
        ]
    )
    texts = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(2)]
    assert texts[0][model.MODE] == "combinar" and texts[0][model.STATUS] == "correcta"
    assert texts[0][model.ROWS] == "1.234.567"
    assert texts[1][model.MODE] == "completa" and texts[1][model.STATUS] == "nunca ejecutada"
    assert format_rows(12345) == "12.345"

    # the sentences of the CLI (app.services.texts.event_text), with Spanish numbers and words
    formatter = EventFormatter()
    started = formatter.line(SyncStarted("1", sync="a", destinations=("dst",), mode="append"))
    assert started is not None and started.endswith(
        "sincronización a: iniciada (añadir, 1 destino)"
    )
    finished = formatter.line(
        SyncFinished("1", sync="a", status="succeeded", seconds=1.5, rows_read=12345)
    )
    assert finished is not None
    assert finished.endswith("sincronización a: correcta en 1,50 s, 12.345 filas leídas")
    line = formatter.line(
        SchemaChangeDetected(
            "1",
            sync="a",
            destination="dst",
            column="c",
            change="added",
            old_type=None,
            new_type="INT",
            decision="applied",
        )
    )
    assert line is not None and line.endswith("dst: columna c añadida - -> INT: aplicado")
    assert formatter.line(SyncProgress("1", sync="a", rows=12345, seconds=2.0)) is None
    assert formatter.progress_text == "12.345 filas leídas en 2,0 s"


#: Qt calls whose string arguments are shown to the user
_SHOWN = {
    "setText",
    "setToolTip",
    "setWindowTitle",
    "setPlaceholderText",
    "setStatusTip",
    "setWhatsThis",
    "showMessage",
    "setTitle",
    "setSubTitle",
    "setLabelText",
    "setInformativeText",
    "setHorizontalHeaderLabels",
    "setHeaderLabels",
    "setPrefix",
    "setSuffix",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QToolButton",
    "QTreeWidgetItem",
    "QListWidgetItem",
    "QTableWidgetItem",
    "QDockWidget",
    "QToolBar",
    "information",
    "warning",
    "critical",
    "question",
    "write",
    "addRow",
    "addTab",
    "setTabText",
    "notify",
    "getText",
    "getExistingDirectory",
    "getOpenFileName",
    "getSaveFileName",
}
#: calls whose result is translated (their own arguments are the English sources)
_TRANSLATING = {
    "tr",
    "translate",
    "_tr",
    "translated",
    "parameter_label",
    "parameter_description",
    "choice_label",
    "status_text",
    "QT_TRANSLATE_NOOP",
}
#: calls that make something else than text from a string (an icon from its name)
_NOT_TEXT = {"icon", "pixmap", "get"}
#: words that are the same in every language
_NAMES = {"Cauce"}
#: literals given to a text setter that are data, not interface text (drag-and-drop MIME text)
_DATA = {"cauce:"}


def _english_literals(node: ast.AST) -> list[str]:
    """String literals with words in ``node`` that do not go through a translating call.

    Markup (``<b>``, ``<span style=…>``) is not a word of the interface.
    """
    found: list[str] = []

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.Call):
            func = n.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _TRANSLATING or name in _NOT_TEXT:
                return
            if name in ("format", "replace") and isinstance(func, ast.Attribute):
                visit(func.value)  # the arguments are values put into a translated text
                return
        if isinstance(n, ast.Subscript):
            visit(n.value)  # a key is not shown, the value looked up may be
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value not in _DATA:
            text = re.sub(r"<[^>]*>?|^[^<]*>", " ", n.value)
            words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if w not in _NAMES]
            if words:
                found.append(n.value)
            return
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return found


def test_no_untranslated_literal_is_shown() -> None:
    """No string literal reaches a Qt text setter in ``app/ui`` without ``tr()``.

    Calls that take codes rather than texts (``set_status("error", …)``, icon names) are not
    in :data:`_SHOWN`; a text that must stay as it is (a product name) goes in :data:`_NAMES`.
    """
    offenders: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in _SHOWN:
                continue
            for arg in node.args:
                for text in _english_literals(arg):
                    offenders.append(
                        f"{path.relative_to(UI.parents[1])}:{node.lineno} {name}({text!r})"
                    )
    assert not offenders, "shown without tr():\n" + "\n".join(offenders)
