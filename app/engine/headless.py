"""Process-wide settings for a headless run (``cauce --run-project``): import only what it uses.

pyarrow converts a Python list (``pa.array(values)``, as the SQLite connector does with its
rows) only after asking whether the list might be a pandas object, and it answers that by
importing pandas: 0.5-0.7 s of a short run's start-up, for a library the run never uses.
:func:`skip_pandas_probe` lets that first question find no pandas, so pyarrow takes its plain
sequence path. Nothing is lost: whatever really needs pandas (``Table.to_pandas``) imports it
as usual. Only for processes that never hand pandas objects to pyarrow (the editor may: it
does not call this).
"""

from __future__ import annotations

import importlib.abc
import sys

__all__ = ["skip_pandas_probe"]


def skip_pandas_probe() -> None:
    """Answer pyarrow's "is pandas there?" probe with no, unless pandas is already loaded.

    >>> skip_pandas_probe()
    """
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)  # `import pandas` fails, for this one probe
    try:
        pa.array([0])  # the probe: pyarrow records that pandas could not be imported
    finally:
        sys.meta_path.remove(refuse)


class _RefusePandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ModuleNotFoundError(name)
