"""System's genesis and calls (frame_system's dispatchables), declared on `pallet.pallet`
after its items, so metadata lists the calls in index order as frame-system does."""

from __future__ import annotations

from pysubtensor.pallets.support.dispatch import (
    DispatchClass,
    Origin,
    PostDispatchInfo,
    ensure_root,
    ensure_signed,
)
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.primitives import externalities, header
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.scale import BYTES, H256, U32, U64, Tuple, Vec

from . import block, events, upgrade
from . import weights as W
from .pallet import HEAP_PAGES, Constants, Event, pallet

pallet.genesis(block.build_genesis)

_OPERATIONAL = DispatchClass.OPERATIONAL
_BYTES = Arg(BYTES, "Vec<u8>")
_HASH = Arg(H256, "T::Hash")


@pallet.call(0, weight=lambda remark: W.remark(len(remark)))
def remark(origin: Origin, remark: _BYTES) -> None:
    """
    Make some on-chain remark.

    Can be executed by every `origin`.
    """
    # Any origin; the remark is only its weight witness.


@pallet.call(1, weight=lambda pages: W.set_heap_pages(), dispatch_class=_OPERATIONAL)
def set_heap_pages(origin: Origin, pages: Arg(U64, "u64")) -> None:
    """Set the number of pages in the WebAssembly environment's heap."""
    # Origin: Root. Writes `:heappages`; a Python runtime has no wasm heap to resize.
    ensure_root(origin)
    externalities.current().set(HEAP_PAGES, U64.encode(pages))
    events.deposit_log(header.RuntimeEnvironmentUpdated())


@pallet.call(2, weight=lambda code: W.set_code(), dispatch_class=_OPERATIONAL)
def set_code(origin: Origin, code: _BYTES) -> PostDispatchInfo:
    """Set the new runtime code."""
    # Origin: Root. Version checks as frame-system; stores `:code` (see the module docstring).
    ensure_root(origin)
    upgrade.can_set_code(code, check_version=True)
    upgrade.update_code_in_storage(code)
    return PostDispatchInfo(actual_weight=Constants.BlockWeights.max_block)


@pallet.call(3, weight=lambda code: W.set_code(), dispatch_class=_OPERATIONAL)
def set_code_without_checks(origin: Origin, code: _BYTES) -> PostDispatchInfo:
    """
    Set the new runtime code without doing any checks of the given `code`.

    Note that runtime upgrades will not run if this is called with a not-increasing spec
    version!
    """
    # Origin: Root.
    ensure_root(origin)
    upgrade.can_set_code(code, check_version=False)
    upgrade.update_code_in_storage(code)
    return PostDispatchInfo(actual_weight=Constants.BlockWeights.max_block)


@pallet.call(4, weight=lambda items: W.set_storage(len(items)), dispatch_class=_OPERATIONAL)
def set_storage(origin: Origin, items: Arg(Vec(Tuple(BYTES, BYTES)), "Vec<KeyValue>")) -> None:
    """Set some items of storage."""
    # Origin: Root.
    ensure_root(origin)
    ext = externalities.current()
    for key, value in items:
        ext.set(key, value)


@pallet.call(5, weight=lambda keys: W.kill_storage(len(keys)), dispatch_class=_OPERATIONAL)
def kill_storage(origin: Origin, keys: Arg(Vec(BYTES), "Vec<Key>")) -> None:
    """Kill some items from storage."""
    # Origin: Root.
    ensure_root(origin)
    ext = externalities.current()
    for key in keys:
        ext.clear(key)


@pallet.call(6, weight=lambda prefix, subkeys: W.kill_prefix(min(subkeys + 1, 0xFFFF_FFFF)),
             dispatch_class=_OPERATIONAL)
def kill_prefix(origin: Origin, prefix: Arg(BYTES, "Key"), subkeys: Arg(U32, "u32")) -> None:
    """
    Kill all storage items with a key that starts with the given prefix.

    **NOTE:** We rely on the Root origin to provide us the number of subkeys under
    the prefix we are removing to accurately calculate the weight of this function.
    """
    # Origin: Root. The limit counts backend keys only, as sp-io's.
    ensure_root(origin)
    externalities.current().clear_prefix(prefix, subkeys)


@pallet.call(7, weight=lambda remark: W.remark_with_event(len(remark)))
def remark_with_event(origin: Origin, remark: _BYTES) -> None:
    """Make some on-chain remark and emit event."""
    # Origin: Signed.
    who = ensure_signed(origin)
    pallet.deposit_event(Event.Remarked(who, blake2_256(remark)))


@pallet.call(9, weight=lambda code_hash: W.authorize_upgrade(), dispatch_class=_OPERATIONAL)
def authorize_upgrade(origin: Origin, code_hash: _HASH) -> None:
    """
    Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
    later.

    This call requires Root origin.
    """
    ensure_root(origin)
    upgrade.do_authorize_upgrade(code_hash, check_version=True)


@pallet.call(10, weight=lambda code_hash: W.authorize_upgrade(), dispatch_class=_OPERATIONAL)
def authorize_upgrade_without_checks(origin: Origin, code_hash: _HASH) -> None:
    """
    Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
    later.

    WARNING: This authorizes an upgrade that will take place without any safety checks, for
    example that the spec name remains the same and that the version number increases. Not
    recommended for normal use. Use `authorize_upgrade` instead.

    This call requires Root origin.
    """
    ensure_root(origin)
    upgrade.do_authorize_upgrade(code_hash, check_version=False)


@pallet.call(11, weight=lambda code: W.apply_authorized_upgrade(), dispatch_class=_OPERATIONAL)
def apply_authorized_upgrade(origin: Origin, code: _BYTES) -> PostDispatchInfo:
    """
    Provide the preimage (runtime binary) `code` for an upgrade that has been authorized.

    If the authorization required a version check, this call will ensure the spec name
    remains unchanged and that the spec version has increased.

    Depending on the runtime's `OnSetCode` configuration, this function may directly apply
    the new `code` in the same block or attempt to schedule the upgrade.

    All origins are allowed.
    """
    return upgrade.apply_authorized_upgrade(code)
