"""Widgets whose texts are set in one ``_retranslate`` method, called again on a language
switch (``QEvent.Type.LanguageChange``, sent to every widget when a translator is installed)."""

from __future__ import annotations

from PySide6.QtCore import QEvent

__all__ = ["Retranslating"]


class Retranslating:
    """Mixin, listed before the Qt widget class: ``class Panel(Retranslating, QWidget)``.

    The widget calls ``self._retranslate()`` once when it is built; this calls it again
    whenever the interface language changes.
    """

    def _retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)  # type: ignore[misc]
