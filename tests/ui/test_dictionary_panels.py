"""The Dictionary and Glossary windows, driven as a user does: Tools menu, clicks, typing;
checked against what the services stored. Screenshots in /tmp/cauce-shots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QTreeWidget, QTreeWidgetItem

from app.services.dictionary import load_dictionary, refresh_catalogs
from app.services.glossary import list_terms, show_term
from app.services.runs import run_project
from app.services.workspace import Workspace

from .conftest import shot

pytestmark = pytest.mark.gui
MART = "main.revenue_by_country_genre_year"


@pytest.fixture
def catalogued(chinook_dir: Path) -> Workspace:
    """The example run and its two catalogs read (as Read catalogs would)."""
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    assert run_project(chinook_dir, workspace=ws).ok
    refresh_catalogs(chinook_dir, ["chinook", "warehouse"], workspace=ws)
    return ws


def _open(qtbot, win, name: str, kind: type):  # type: ignore[no-untyped-def]
    win.actions_by_name[name].trigger()  # Tools > Data dictionary / Business glossary
    found = [w for w in win.findChildren(kind) if w.isVisible()]
    assert len(found) == 1
    return found[0]


def _row(tree: QTreeWidget, *path: str) -> QTreeWidgetItem:
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top is not None and top.text(0) == path[0]:
            if len(path) == 1:
                return top
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None and child.text(0) == path[1]:
                    return child
    raise AssertionError(f"no row {path}")


def _click(qtbot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:  # type: ignore[no-untyped-def]
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 30, rect.center().y())
    )
    assert tree.currentItem() is item


def _shown(tree: QTreeWidget) -> list[str]:
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        out.append(top.text(0))
        out += [f"  {top.child(j).text(0)}" for j in range(top.childCount())]  # type: ignore[union-attr]
    return out


def test_dictionary_window_browses_describes_searches_and_exports(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir, catalogued, tmp_path
) -> None:
    from app.ui.dictionary.window import DictionaryWindow

    win = window
    win.open_project(chinook_dir, "revenue")
    dialog = _open(qtbot, win, "dictionary", DictionaryWindow)
    qtbot.waitUntil(
        lambda: dialog.dictionary is not None and dialog.lineage is not None, timeout=20_000
    )
    tree = dialog.tree
    assert tree.topLevelItemCount() == 12
    assert _row(tree, "chinook · Invoice").childCount() == 9

    # a column of the mart: its lineage, computed by the compiler
    tree.collapseAll()
    mart = _row(tree, f"warehouse · {MART}")
    mart.setExpanded(True)
    _click(qtbot, tree, _row(tree, f"warehouse · {MART}", "Revenue"))
    lineage = dialog.detail.lineage
    top = lineage.topLevelItem(0)
    assert top is not None
    assert top.text(0) == (
        "from chinook.InvoiceLine.UnitPrice, chinook.InvoiceLine.Quantity (pipeline revenue)"
    )
    assert [top.child(i).text(0) for i in range(top.childCount())] == [  # type: ignore[union-attr]
        "by_country_genre_year: Revenue = CAST(SUM(Amount) AS DECIMAL(38, 2))",
        "amounts: Amount = UnitPrice * Quantity",
    ]
    assert dialog.detail.facts.text() == "decimal(38,2), may be empty"

    # describe Invoice.Total: typed, saved, stored
    invoice = _row(tree, "chinook · Invoice")
    invoice.setExpanded(True)
    _click(qtbot, tree, _row(tree, "chinook · Invoice", "Total"))
    assert not dialog.detail.save_button.isEnabled()
    qtbot.keyClicks(dialog.detail.description, "Billed to the customer, taxes included")
    qtbot.keyClicks(dialog.detail.owner, "finance")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.detail.save_button, Qt.MouseButton.LeftButton)
    stored = load_dictionary(chinook_dir, workspace=catalogued).table("chinook", "Invoice")
    assert (stored.column("Total").description, stored.column("Total").owner) == (
        "Billed to the customer, taxes included",
        "finance",
    )
    assert (
        _row(tree, "chinook · Invoice", "Total").text(2) == "Billed to the customer, taxes included"
    )
    assert [
        dialog.detail.lineage.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(dialog.detail.lineage.topLevelItemCount())
    ] == []
    assert dialog.detail.lineage_note.text() == "No pipeline or sync reads or writes it."

    # search: by the description just written, then by a camelCase part of names
    qtbot.keyClicks(dialog.search_edit, "taxes")
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1, timeout=5_000)
    assert _shown(tree) == ["chinook · Invoice", "  Total"]
    assert "Found in: description" in _row(tree, "chinook · Invoice", "Total").toolTip(0)
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "invoice date")
    qtbot.waitUntil(lambda: _shown(tree) == ["chinook · Invoice", "  InvoiceDate"], timeout=5_000)
    _click(qtbot, tree, _row(tree, "chinook · Invoice", "InvoiceDate"))
    assert dialog.detail.lineage.topLevelItem(0).text(0) == (  # type: ignore[union-attr]
        "to warehouse.revenue_by_country_genre_year.Year (pipeline revenue)"
    )
    shot(dialog, "dictionary-search")
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "zzzz")
    qtbot.waitUntil(lambda: dialog.empty_label.isVisible(), timeout=5_000)
    assert dialog.empty_label.text() == "Nothing matches “zzzz”."
    dialog.search_edit.clear()
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 12, timeout=5_000)
    _click(qtbot, tree, _row(tree, "chinook · Invoice"))
    assert dialog.detail.title.text() == "chinook · Invoice"
    assert dialog.detail.lineage.topLevelItem(0).text(0) == (  # type: ignore[union-attr]
        "read by pipeline revenue (node invoices)"
    )
    shot(dialog, "dictionary-panel")

    # export to Markdown where the user chose
    target = tmp_path / "dictionary.md"
    dialog.choose_export = lambda: (target, "md")
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Data dictionary: chinook")
    assert "| Total | decimal(10,2) | Billed to the customer, taxes included |" in text


def test_glossary_window_adds_links_imports_and_the_dictionary_finds_it(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir, catalogued, tmp_path
) -> None:
    from app.ui.dictionary.glossary import GlossaryWindow
    from app.ui.dictionary.window import DictionaryWindow

    win = window
    win.open_project(chinook_dir, "revenue")
    dictionary = _open(qtbot, win, "dictionary", DictionaryWindow)
    qtbot.waitUntil(lambda: dictionary.dictionary is not None, timeout=20_000)
    glossary = _open(qtbot, win, "glossary", GlossaryWindow)
    qtbot.waitUntil(lambda: glossary.link_combo.count() == 70, timeout=20_000)

    qtbot.mouseClick(glossary.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(glossary.name_edit, "Revenue")
    qtbot.keyClicks(glossary.definition_edit, "Money received for tracks sold")
    qtbot.keyClicks(glossary.synonyms_edit, "turnover, sales")
    qtbot.keyClicks(glossary.owner_edit, "finance")
    glossary.status_combo.setFocus()
    qtbot.keyClick(glossary.status_combo, Qt.Key.Key_Down)
    assert glossary.status_combo.currentData() == "approved"
    glossary.link_combo.setEditText("")
    qtbot.keyClicks(glossary.link_combo, f"warehouse.{MART}.Revenue")
    qtbot.mouseClick(glossary.link_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(glossary.link_combo, "chinook.Invoice.Totl")  # a typo: refused on Save
    qtbot.mouseClick(glossary.link_button, Qt.MouseButton.LeftButton)
    assert glossary.columns_list.count() == 2
    qtbot.mouseClick(glossary.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "has no column 'Totl'" in glossary.status.text(), timeout=10_000)
    assert list_terms(chinook_dir, workspace=catalogued) == []
    glossary.columns_list.setCurrentRow(1)
    qtbot.mouseClick(glossary.unlink_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(glossary.shown, timeout=10_000):
        qtbot.mouseClick(glossary.save_button, Qt.MouseButton.LeftButton)
    assert glossary.list.item(0).text() == "Revenue  (approved)"  # type: ignore[union-attr]
    page = show_term(chinook_dir, "Revenue", workspace=catalogued)
    assert (page.term.synonyms, page.term.owner, page.term.status) == (
        ["turnover", "sales"],
        "finance",
        "approved",
    )
    assert [str(c.ref) for c in page.columns] == [f"warehouse.{MART}.Revenue"]
    # the term's page: each column that carries it, with its type
    assert glossary.columns_list.item(0).text() == (  # type: ignore[union-attr]
        f"warehouse.{MART}.Revenue — decimal(38,2)"
    )
    shot(glossary, "glossary-panel")

    # a CSV with a bad line: the line is named, nothing stored
    bad = tmp_path / "terms.csv"
    bad.write_text("name,status\nCustomer,draft\nMargin,final\n", encoding="utf-8")
    glossary.choose_csv = lambda: bad
    qtbot.mouseClick(glossary.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "line 3: status" in glossary.status.text(), timeout=10_000)
    assert [t.name for t in list_terms(chinook_dir, workspace=catalogued)] == ["Revenue"]
    bad.write_text("name,status\nCustomer,draft\nMargin,approved\n", encoding="utf-8")
    with qtbot.waitSignal(glossary.loaded, timeout=10_000):
        qtbot.mouseClick(glossary.import_button, Qt.MouseButton.LeftButton)
    assert glossary.status.text() == "2 term(s) added, 0 updated"
    assert glossary.list.count() == 3

    # the dictionary, reloaded by the change, finds the column by the synonym
    qtbot.waitUntil(
        lambda: dictionary.dictionary is not None and bool(dictionary.dictionary.terms),
        timeout=10_000,
    )
    qtbot.keyClicks(dictionary.search_edit, "turnover")
    qtbot.waitUntil(lambda: dictionary.tree.topLevelItemCount() == 1, timeout=5_000)
    assert _shown(dictionary.tree) == [f"warehouse · {MART}", "  Revenue"]
    hit = _row(dictionary.tree, f"warehouse · {MART}", "Revenue")
    assert hit.toolTip(0) == "Found in: term Revenue (synonym turnover)"
    _click(qtbot, dictionary.tree, hit)
    assert dictionary.detail.terms.text() == "Revenue"

    # remove a term (the question answered yes)
    glossary.confirm_remove = lambda name: True
    glossary.select("Margin")
    qtbot.waitUntil(lambda: glossary.editing == "Margin", timeout=10_000)
    with qtbot.waitSignal(glossary.loaded, timeout=10_000):
        qtbot.mouseClick(glossary.remove_button, Qt.MouseButton.LeftButton)
    assert [t.name for t in list_terms(chinook_dir, workspace=catalogued)] == [
        "Customer",
        "Revenue",
    ]


def test_both_windows_in_spanish(qtbot, spanish, window, chinook_dir, catalogued) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dictionary.glossary import GlossaryWindow
    from app.ui.dictionary.window import DictionaryWindow

    win = window
    win.open_project(chinook_dir, "revenue")
    assert win.actions_by_name["dictionary"].text() == "&Diccionario de datos…"
    dialog = _open(qtbot, win, "dictionary", DictionaryWindow)
    qtbot.waitUntil(
        lambda: dialog.lineage is not None and dialog.dictionary is not None, timeout=20_000
    )
    assert dialog.windowTitle() == "Diccionario de datos — chinook"
    mart = _row(dialog.tree, f"warehouse · {MART}")
    mart.setExpanded(True)
    _click(qtbot, dialog.tree, _row(dialog.tree, f"warehouse · {MART}", "Units"))
    assert dialog.detail.lineage.topLevelItem(0).text(0) == (  # type: ignore[union-attr]
        "de chinook.InvoiceLine.Quantity (canalización revenue)"
    )
    shot(dialog, "dictionary-panel-es")
    glossary = _open(qtbot, win, "glossary", GlossaryWindow)
    assert glossary.windowTitle() == "Glosario de negocio — chinook"
    QApplication.processEvents()
    shot(glossary, "glossary-panel-es")


def test_read_catalogs_fills_an_empty_dictionary(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    from app.ui.dictionary.window import DictionaryWindow

    win = window
    win.open_project(chinook_dir, "revenue")
    dialog = _open(qtbot, win, "dictionary", DictionaryWindow)
    qtbot.waitUntil(lambda: dialog.dictionary is not None, timeout=20_000)
    assert dialog.tree.topLevelItemCount() == 0
    assert dialog.empty_label.text().startswith("The catalog is empty: Read catalogs reads")
    shot(dialog, "dictionary-empty")
    with qtbot.waitSignal(dialog.loaded, timeout=60_000):
        qtbot.mouseClick(dialog.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() >= 11, timeout=20_000)
    assert _row(dialog.tree, "chinook · Track").childCount() == 9
    assert "chinook: 11 tables" in dialog.status.text()
    assert dialog.empty_label.isHidden()
