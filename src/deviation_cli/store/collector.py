"""Registers handed out of the store, a large one moved out of the cyclic garbage collector's sight."""

from __future__ import annotations

import gc

from ..domain.register import Register

#: From this many tasks on, a loaded register is moved out of the garbage collector's sight.
FREEZE_TASKS = 5000


def keep(register: Register) -> Register:
    """Hand out a register; a large one is frozen out of the cyclic garbage collector.

    Why: its million objects were made with the collector paused, so they all
    sit in the youngest generation; the first collections after it resumes
    would walk every one of them, again and again as generations fill, while
    the query allocates its output. None of them is part of a cycle
    (refcounting frees them), so ``gc.freeze`` costs nothing but those walks.
    """
    if len(register.tasks) >= FREEZE_TASKS:
        gc.freeze()
    return register
