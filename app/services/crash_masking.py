"""A crash of a run or sync leaves the service with the run's tagged values masked.

A run's expected failures become its typed result (a report whose errors are masked,
:mod:`app.services.run_steps`); anything else — a bug, an error no runner step handles —
goes up to the caller as an exception, and the CLI prints it, the API answers with it, the
editor shows it. By then the run's value scope is closed and nothing masks it any more. So the
run's use cases open :func:`masking_crashes` inside their scope: an exception leaving it has its
texts masked in place (the messages of it and of its causes, their notes) — same type, same
traceback, so callers still tell a user error from a bug, and a bug's traceback still shows
where it happened. A bug whose text does not come from its arguments or fields, and stays
unmasked, is replaced by a :class:`MaskedCrash` holding its masked description.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Iterator

from app.storage.value_redaction import value_redactor

__all__ = ["MaskedCrash", "mask_exception", "masking_crashes"]


class MaskedCrash(RuntimeError):
    """An exception whose text could not be masked in place: its type and masked text."""


@contextlib.contextmanager
def masking_crashes() -> Iterator[None]:
    """Within a run's value scope: an exception leaving the block has its values masked."""
    try:
        yield
    except BaseException as err:
        masked = mask_exception(err)
        if masked is err:
            raise
        raise masked from None


def mask_exception(err: BaseException) -> BaseException:
    """``err`` with the values of the runs under way masked in its texts and its causes'
    (in place), or a :class:`MaskedCrash` saying the same when that is not enough."""
    redactor = value_redactor()
    if not redactor.active():
        return err
    chain = _chain(err)
    for found in chain:
        found.args = tuple(redactor.mask(a) if isinstance(a, str) else a for a in found.args)
        notes = getattr(found, "__notes__", None)
        if isinstance(notes, list):
            found.__notes__ = [redactor.mask(n) if isinstance(n, str) else n for n in notes]
        for name, value in list(vars(found).items()):
            if isinstance(value, str) and not name.startswith("__"):
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(found, name, redactor.mask(value))
    from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS

    if isinstance(err, (*USER_ERRORS, *NOT_FOUND, *CONFLICTS)):
        return err  # said to the user in one line, from the fields masked above
    texts = [t for e in chain for t in traceback.format_exception_only(e)]
    if all(redactor.mask(t) == t for t in texts):
        return err
    crash = MaskedCrash(redactor.mask("".join(traceback.format_exception(err))))
    crash.__traceback__ = err.__traceback__
    return crash


def _chain(err: BaseException) -> list[BaseException]:
    """``err``, its causes and contexts, each once."""
    out: list[BaseException] = []
    todo: list[BaseException | None] = [err]
    while todo:
        found = todo.pop()
        if found is None or any(found is seen for seen in out):
            continue
        out.append(found)
        todo += [found.__cause__, found.__context__]
    return out
