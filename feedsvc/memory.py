"""Give memory the process has freed back to the system."""

from __future__ import annotations

import ctypes
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except AttributeError:  # a C library other than glibc's: nothing to ask
        return None


MALLOC_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Return the free pages of every malloc arena to the system.

    glibc keeps memory freed in the middle of its arenas (one per thread) resident: a
    process that has just dropped a catalog's cached feeds, or finished a scan, would
    otherwise stay at its peak until the same sizes are allocated again. Takes about a
    millisecond.
    """
    if MALLOC_TRIM is not None:
        MALLOC_TRIM(0)
