"""Process memory: make freed buffers go back to the operating system.

glibc's malloc serves blocks over `M_MMAP_THRESHOLD` (128 KiB) with their own mappings, which
`free` returns at once, but it raises that threshold to the size of each such block freed (up
to 32 MiB). After a burst of large JSON answers (a metadata answer is ~0.5 MB as hex) every
later large block then comes from the heap, where freed memory stays with the process: RSS
stayed at GBs after slow clients left. Setting the thresholds explicitly turns the dynamic
adjustment off (mallopt(3)), so large blocks are always mapped and unmapped when freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

__all__ = ["MMAP_THRESHOLD", "return_freed_memory_to_the_os"]

log = logging.getLogger("node")

MMAP_THRESHOLD = 128 * 1024  # glibc's initial value, kept fixed
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def return_freed_memory_to_the_os() -> bool:
    """Fix glibc's mmap and trim thresholds at 128 KiB; False where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        mallopt = libc.mallopt if libc is not None else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        log.debug("no mallopt in this C library: large freed blocks may stay with the process")
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, MMAP_THRESHOLD))
