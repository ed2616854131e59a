"""Process memory: make freed buffers go back to the operating system; no cycle collection
while the node starts.

glibc's malloc serves blocks over `M_MMAP_THRESHOLD` (128 KiB) with their own mappings, which
`free` returns at once, but it raises that threshold to the size of each such block freed (up
to 32 MiB). After a burst of large JSON answers (a metadata answer is ~0.5 MB as hex) every
later large block then comes from the heap, where freed memory stays with the process: RSS
stayed at GBs after slow clients left. Setting the thresholds explicitly turns the dynamic
adjustment off (mallopt(3)), so large blocks are always mapped and unmapped when freed.

Start-up builds the runtime's declarations (modules, ~480 dataclasses, codecs, metadata
types: several hundred thousand objects that live as long as the process) and, with a large
raw chain spec, millions of short-lived strings; the cyclic garbage collector would walk
them again and again (~10% of the `--dev` start-up, and full collections over a spec's
millions of objects). So the entry point (`pysubtensor/__main__.py`) pauses it before the
first import, and the service ends the pause before the node starts (`end_startup_pause`):
what start-up built is moved to the collector's permanent generation (`gc.freeze`), so
later full collections do not walk it either, and collection resumes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

__all__ = ["MMAP_THRESHOLD", "end_startup_pause", "pause_collection_for_startup", "return_freed_memory_to_the_os"]

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


def pause_collection_for_startup() -> None:
    """Pause the cyclic garbage collector until `end_startup_pause` (the program's entry
    point calls this before importing the node; reference counting still frees everything
    that is not in a cycle)."""
    gc.disable()


def end_startup_pause() -> bool:
    """If start-up paused the collector: freeze what exists now (the process's long-lived
    state) and resume collection. True if it was paused; a process that never paused it
    (a test running the node in-process) is left as it is."""
    if gc.isenabled():
        return False
    gc.freeze()
    gc.enable()
    return True
