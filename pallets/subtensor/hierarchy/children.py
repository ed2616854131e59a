"""Parent and child hotkeys (subtensor's `staking/set_children.rs`): `set_children` schedules a
hotkey's children per subnet; once the cooldown has passed, the subnet's epoch block applies
them (`do_set_pending_children`, called from the block hook), keeping `ChildKeys` and
`ParentKeys` mirror images.

A relation set around a pivot hotkey is two maps account -> proportion (Rust `PCRelations`,
BTreeMaps: persisted vectors are ordered by account bytes, duplicates resolved last-wins)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pysubtensor.pallets.support.dispatch import ensure

from ..errors import Error
from ..events import Event
from ..neurons.logic import coldkey_owns_hotkey
from ..pallet import pallet
from ..staking.accounting import get_total_stake_for_hotkey
from ..storage_beyond_381 import LastEpochBlock
from ..subnets.storage import NetworksAdded, SubnetOwnerHotkey
from ..utils.admin import current_block, last_block_on_subnet, set_last_block_on_subnet
from ..utils.neuron_lookup import if_subnet_exist
from ..weights.storage import StakeThreshold
from .storage import ChildKeys, ParentKeys, PendingChildKeyCooldown, PendingChildKeys

__all__ = [
    "PCRelations", "do_schedule_children", "do_set_pending_children", "get_total_stake_for_hotkey",
    "try_set_pending_children",
]

_U64_MAX = 2**64 - 1
#: `TransactionType::SetChildren.rate_limit()`: blocks between two schedules of a hotkey on a subnet.
SET_CHILDREN_RATE_LIMIT = 150
#: `Tx children count`: at most this many children per hotkey and subnet.
MAX_CHILDREN = 5

Links = dict[bytes, int]


def _ensure_total_proportions(children: Links) -> None:
    ensure(sum(children.values()) <= _U64_MAX, Error.ProportionOverflow)


def _ensure_no_self_loop(pivot: bytes, keys: Links) -> None:
    ensure(pivot not in keys, Error.InvalidChild)


def _ensure_bipartite_separation(children: Links, parents: Links) -> None:
    ensure(not any(c in parents for c in children), Error.ChildParentInconsistency)


def _last_wins(links: list[tuple[int, bytes]], skip: bytes | None = None) -> Links:
    out: Links = {}
    for proportion, who in links:
        if who != skip:
            out[who] = proportion
    return out


@dataclass
class PCRelations:
    pivot: bytes
    children: Links = field(default_factory=dict)
    parents: Links = field(default_factory=dict)

    def link_children(self, children: Links) -> None:
        _ensure_no_self_loop(self.pivot, children)
        _ensure_total_proportions(children)
        _ensure_bipartite_separation(children, self.parents)
        self.children = children

    def link_parents(self, parents: Links) -> None:
        _ensure_no_self_loop(self.pivot, parents)
        _ensure_bipartite_separation(self.children, parents)
        self.parents = parents

    def ensure_pending_consistency(self, pending: list[tuple[int, bytes]]) -> None:
        children = _last_wins(pending)
        _ensure_no_self_loop(self.pivot, children)
        ensure(len(children) <= MAX_CHILDREN, Error.TooManyChildren)
        _ensure_total_proportions(children)
        _ensure_bipartite_separation(children, self.parents)


def _set_childkeys(parent: bytes, netuid: int, links: list[tuple[int, bytes]]) -> None:
    if links:
        ChildKeys.insert(parent, netuid, links)
    else:
        ChildKeys.remove(parent, netuid)


def _set_parentkeys(child: bytes, netuid: int, links: list[tuple[int, bytes]]) -> None:
    if links:
        ParentKeys.insert(child, netuid, links)
    else:
        ParentKeys.remove(child, netuid)


def _upsert_edge(links: list[tuple[int, bytes]], proportion: int, who: bytes) -> list[tuple[int, bytes]]:
    """`who`'s proportion replaced in place, or appended."""
    if any(w == who for _, w in links):
        return [(proportion, w) if w == who else (p, w) for p, w in links]
    return [*links, (proportion, who)]


def _remove_edge(links: list[tuple[int, bytes]], who: bytes) -> list[tuple[int, bytes]]:
    return [(p, w) for p, w in links if w != who]


def load_child_parent_relations(hotkey: bytes, netuid: int) -> PCRelations:
    rel = PCRelations(hotkey)
    rel.link_children(_last_wins(ChildKeys.get(hotkey, netuid), skip=hotkey))
    rel.link_parents(_last_wins(ParentKeys.get(hotkey, netuid), skip=hotkey))
    return rel


def load_relations_from_pending(pivot: bytes, pending: list[tuple[int, bytes]], netuid: int) -> PCRelations:
    """The pending children around `pivot`, with its current parents kept."""
    rel = PCRelations(pivot)
    rel.link_children(_last_wins(pending, skip=pivot))
    rel.link_parents(_last_wins(ParentKeys.get(pivot, netuid), skip=pivot))
    return rel


def persist_child_parent_relations(rel: PCRelations, netuid: int) -> None:
    """Write the pivot's children and parents, and mirror each added, changed or removed edge on
    the other side (in account order, as Rust's BTreeSets)."""
    pivot = rel.pivot
    prev_children = {c for _, c in ChildKeys.get(pivot, netuid)}
    _set_childkeys(pivot, netuid, [(rel.children[c], c) for c in sorted(rel.children)])
    new_children = set(rel.children)
    for child in sorted(new_children - prev_children) + sorted(new_children & prev_children):
        _set_parentkeys(child, netuid, _upsert_edge(ParentKeys.get(child, netuid), rel.children[child], pivot))
    for child in sorted(prev_children - new_children):
        _set_parentkeys(child, netuid, _remove_edge(ParentKeys.get(child, netuid), pivot))

    prev_parents = {p for _, p in ParentKeys.get(pivot, netuid)}
    _set_parentkeys(pivot, netuid, [(rel.parents[p], p) for p in sorted(rel.parents)])
    new_parents = set(rel.parents)
    for parent in sorted(new_parents - prev_parents) + sorted(new_parents & prev_parents):
        _set_childkeys(parent, netuid, _upsert_edge(ChildKeys.get(parent, netuid), rel.parents[parent], pivot))
    for parent in sorted(prev_parents - new_parents):
        _set_childkeys(parent, netuid, _remove_edge(ChildKeys.get(parent, netuid), pivot))


def do_schedule_children(coldkey: bytes, hotkey: bytes, netuid: int, children: list[tuple[int, bytes]]) -> None:
    last = last_block_on_subnet("SetChildren", hotkey, netuid)
    ensure(last == 0 or max(current_block() - last, 0) >= SET_CHILDREN_RATE_LIMIT, Error.TxRateLimitExceeded)
    ensure(netuid != 0, Error.RegistrationNotPermittedOnRootSubnet)
    ensure(if_subnet_exist(netuid), Error.SubnetNotExists)
    ensure(coldkey_owns_hotkey(coldkey, hotkey), Error.NonAssociatedColdKey)
    seen: set[bytes] = set()
    for _, child in children:
        ensure(child not in seen, Error.DuplicateChild)
        seen.add(child)
    load_child_parent_relations(hotkey, netuid).ensure_pending_consistency(children)
    # Own stake, not the inherited one a parent's parents would add
    ensure(not children
           or get_total_stake_for_hotkey(hotkey) >= StakeThreshold.get()
           or (SubnetOwnerHotkey.contains_key(netuid) and SubnetOwnerHotkey.get(netuid) == hotkey),
           Error.NotEnoughStakeToSetChildkeys)
    block = current_block()
    set_last_block_on_subnet("SetChildren", hotkey, netuid, block)
    cooldown_block = min(block + PendingChildKeyCooldown.get(), _U64_MAX)
    PendingChildKeys.insert(netuid, hotkey, (children, cooldown_block))
    pallet.deposit_event(Event.SetChildrenScheduled(hotkey, netuid, cooldown_block, children))


def do_set_pending_children(netuid: int) -> None:
    """Apply each of the subnet's pending children whose cooldown has passed; a schedule that
    would now break the relations' rules is dropped silently."""
    block = current_block()
    for hotkey, (children, cooldown_block) in list(PendingChildKeys.iter_prefix(netuid)):
        if cooldown_block >= block:
            continue
        try:
            rel = load_relations_from_pending(hotkey, children, netuid)
        except (Error.ChildParentInconsistency, Error.InvalidChild, Error.ProportionOverflow):
            rel = None
        if rel is not None:
            persist_child_parent_relations(rel, netuid)
            pallet.deposit_event(Event.SetChildren(hotkey, netuid, children))
        PendingChildKeys.remove(netuid, hotkey)


def try_set_pending_children(block: int) -> None:
    """Block step 7: each subnet whose epoch slot the coinbase just consumed (its
    `LastEpochBlock` is this block), its pending children."""
    for netuid, _ in NetworksAdded.iter():
        if LastEpochBlock.get(netuid) == block:
            do_set_pending_children(netuid)
