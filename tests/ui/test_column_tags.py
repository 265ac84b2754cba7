"""Tools > Column tags…, driven as a user does on the Chinook example: Suggest, check a
suggestion and Accept selected, add a custom tag by typing, remove one, filter; checked
against what the services stored. Screenshots in /tmp/cauce-shots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from app.services.dictionary import refresh_catalogs
from app.services.privacy import list_tags
from app.services.workspace import Workspace

from .conftest import shot

pytestmark = pytest.mark.gui


@pytest.fixture
def catalogued(chinook_dir: Path) -> Workspace:
    """Chinook's catalog read (as Read catalogs would)."""
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    refresh_catalogs(chinook_dir, ["chinook"], workspace=ws)
    return ws


def _open(qtbot, win, chinook_dir: Path):  # type: ignore[no-untyped-def]
    from app.ui.tags.window import TagsWindow

    win.open_project(chinook_dir, "revenue")
    tools = next(a.menu() for a in win.menuBar().actions() if a.text() == "&Tools")
    entry = next(a for a in tools.actions() if a.text() == "Column &tags…")
    assert entry.shortcut().toString() == "Ctrl+Shift+T"
    texts = [a.text() for a in tools.actions()]
    assert texts.index("Column &tags…") == texts.index("Business &glossary…") + 1
    _no_clash(win)
    entry.trigger()  # Tools > Column tags…
    found = [w for w in win.findChildren(TagsWindow) if w.isVisible()]
    assert len(found) == 1
    dialog = found[0]
    qtbot.waitUntil(lambda: dialog.dictionary is not None, timeout=20_000)
    return dialog


def _no_clash(win) -> None:  # type: ignore[no-untyped-def]
    """The Tools menu's mnemonics are distinct, and no two actions share a shortcut."""
    tools = next(a.menu() for a in win.menuBar().actions() if a.property("source_text") == "&Tools")
    texts = [a.text().replace("&&", "") for a in tools.actions() if a.text()]
    letters = [t[t.index("&") + 1].casefold() for t in texts if "&" in t]
    assert len(letters) == len(texts) and len(set(letters)) == len(letters), texts
    keys = [
        k.toString() for a in win.actions_by_name.values() for k in a.shortcuts() if not k.isEmpty()
    ]
    assert len(set(keys)) == len(keys), sorted(k for k in keys if keys.count(k) > 1)


def _row(tree: QTreeWidget, text: str) -> QTreeWidgetItem:
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        if item is not None and item.text(0) == text:
            return item
    raise AssertionError(f"no row {text}")


def _click(qtbot, tree: QTreeWidget, item: QTreeWidgetItem, x: int = 30) -> None:  # type: ignore[no-untyped-def]
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + x, rect.center().y())
    )


def _stored(chinook_dir: Path, ws: Workspace) -> set[tuple[str, str, str]]:
    return {
        (t.table.rsplit(".", 1)[-1], t.column, t.tag) for t in list_tags(chinook_dir, workspace=ws)
    }


def test_suggest_accept_add_remove_and_filter(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir, catalogued
) -> None:
    dialog = _open(qtbot, window, chinook_dir)
    tree = dialog.tree
    email = _row(tree, "chinook · Customer · Email")
    assert email.text(1) == "string" and email.text(2) == ""
    assert dialog.status.text().endswith("0 of them tagged")

    # Suggest: on a worker; Customer.Email is an e-mail by its name and by its values
    with qtbot.waitSignal(dialog.suggested, timeout=30_000):
        qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    pane = dialog.suggestions
    suggestion = pane.item_of("chinook", "Customer", "Email", "pii.email")
    assert suggestion.text(0) == "chinook · Customer · Email"
    assert suggestion.text(2) == "name: “email”; values: 100 % look like email"
    assert suggestion.text(3) == "100 %"
    assert not pane.accept_button.isEnabled()
    assert _stored(chinook_dir, catalogued) == set()  # suggested, not stored
    shot(dialog, "column-tags-suggested")

    # accept it: its check box, then Accept selected
    _click(qtbot, pane.tree, suggestion, x=10)
    assert suggestion.checkState(0) == Qt.CheckState.Checked
    assert pane.accept_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.mouseClick(pane.accept_button, Qt.MouseButton.LeftButton)
    assert ("Customer", "Email", "pii.email") in _stored(chinook_dir, catalogued)
    assert len(_stored(chinook_dir, catalogued)) == 1
    assert _row(tree, "chinook · Customer · Email").text(2) == "pii.email"
    assert dialog.status.text() == "1 suggested tag(s) accepted"
    assert pane.note.text() == "16 suggestions left"
    with pytest.raises(LookupError):  # accepted: no longer a suggestion
        pane.item_of("chinook", "Customer", "Email", "pii.email")

    # a custom tag typed on Customer.Phone; a name that is no tag is refused, not stored
    _click(qtbot, tree, _row(tree, "chinook · Customer · Phone"))
    assert dialog.column_label.text() == "chinook · Customer · Phone"
    qtbot.keyClicks(dialog.tag_combo, "Not a tag")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "invalid tag 'Not a tag'" in dialog.status.text()
    dialog.tag_combo.setEditText("")
    qtbot.keyClicks(dialog.tag_combo, "hr.Contact")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert ("Customer", "Phone", "hr.contact") in _stored(chinook_dir, catalogued)
    assert dialog.status.text() == "Phone tagged hr.contact"
    assert [dialog.tags_list.item(i).text() for i in range(dialog.tags_list.count())] == [
        "hr.contact"
    ]
    # a standard one from the list (Enter adds it; the window stays open), then removed
    dialog.tag_combo.setCurrentText("pii.phone")
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.keyClick(dialog.tag_combo.lineEdit(), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert _row(tree, "chinook · Customer · Phone").text(2) == "hr.contact, pii.phone"
    dialog.tags_list.setCurrentRow(0)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert ("Customer", "Phone", "hr.contact") not in _stored(chinook_dir, catalogued)
    assert dialog.status.text() == "Phone is no longer tagged hr.contact"
    assert _row(tree, "chinook · Customer · Phone").text(2) == "pii.phone"

    # suggested again: what the columns already carry is not offered twice
    with qtbot.waitSignal(dialog.suggested, timeout=30_000):
        qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert pane.note.text() == "17 suggestions, 2 of them already tagged"
    assert pane.tree.topLevelItemCount() == 15
    with pytest.raises(LookupError):
        pane.item_of("chinook", "Customer", "Phone", "pii.phone")

    # the filter: names and tags
    qtbot.keyClicks(dialog.filter_edit, "pii.")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 2, timeout=5_000)
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [  # type: ignore[union-attr]
        "chinook · Customer · Phone",  # the catalog's order
        "chinook · Customer · Email",
    ]
    dialog.filter_edit.setText("zzz")
    qtbot.waitUntil(lambda: dialog.empty_label.isVisible(), timeout=5_000)
    assert dialog.empty_label.text() == "No column matches “zzz”."
    dialog.filter_edit.setText("customer")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 14, timeout=5_000)
    _click(qtbot, tree, _row(tree, "chinook · Customer · Email"))
    assert dialog.tags_list.item(0).text() == "pii.email"  # type: ignore[union-attr]
    shot(dialog, "column-tags")


def test_an_empty_catalog_says_what_to_do(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window, chinook_dir)
    assert dialog.tree.topLevelItemCount() == 0
    assert dialog.empty_label.isVisible()
    assert dialog.empty_label.text().startswith("The catalog is empty: Read catalogs reads")
    assert not dialog.suggest_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() > 0, timeout=30_000)
    assert dialog.suggest_button.isEnabled() and not dialog.empty_label.isVisible()


def test_the_window_in_spanish(qtbot, window, chinook_dir, catalogued, spanish) -> None:  # type: ignore[no-untyped-def]
    window.open_project(chinook_dir, "revenue")
    assert window.actions_by_name["column_tags"].text() == "&Etiquetas de columnas…"
    _no_clash(window)
    window.actions_by_name["column_tags"].trigger()
    from app.ui.tags.window import TagsWindow

    dialog = next(w for w in window.findChildren(TagsWindow) if w.isVisible())
    qtbot.waitUntil(lambda: dialog.dictionary is not None, timeout=20_000)
    assert dialog.windowTitle() == "Etiquetas de columnas — chinook"
    assert dialog.suggest_button.text() == "&Sugerir"
    assert dialog.suggestions.accept_button.text() == "&Aceptar las marcadas"
    with qtbot.waitSignal(dialog.suggested, timeout=30_000):
        qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    item = dialog.suggestions.item_of("chinook", "Customer", "Email", "pii.email")
    assert item.text(2).startswith("nombre: «email»")
    _click(qtbot, dialog.tree, _row(dialog.tree, "chinook · Customer · Email"))
    shot(dialog, "column-tags-es")


def test_a_connection_that_fails_is_named(qtbot, window, chinook_dir, catalogued) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window, chinook_dir)
    (chinook_dir / "data" / "chinook.sqlite").unlink()  # the database went away
    with qtbot.waitSignal(dialog.suggested, timeout=30_000):
        qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == (
        f"chinook: SQLite file '{chinook_dir / 'data' / 'chinook.sqlite'}' does not exist"
    )
    assert dialog.suggestions.tree.topLevelItemCount() == 0
    assert dialog.suggest_button.isEnabled()  # it can be tried again
    assert list_tags(chinook_dir, workspace=catalogued) == []


def test_a_tag_added_reaches_the_open_dictionary(qtbot, window, chinook_dir, catalogued) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dictionary.window import DictionaryWindow

    dialog = _open(qtbot, window, chinook_dir)
    window.actions_by_name["dictionary"].trigger()  # Tools > Data dictionary…
    dictionary = next(w for w in window.findChildren(DictionaryWindow) if w.isVisible())
    qtbot.waitUntil(lambda: dictionary.dictionary is not None, timeout=20_000)
    _click(qtbot, dialog.tree, _row(dialog.tree, "chinook · Customer · Fax"))
    qtbot.keyClicks(dialog.tag_combo, "pii.phone")
    with qtbot.waitSignal(dictionary.loaded, timeout=10_000):  # read again
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dictionary.dictionary is not None
    assert dictionary.dictionary.table("chinook", "Customer").column("Fax").tags == ["pii.phone"]
