"""`construct_runtime!`: the pallets of node-subtensor by index, and the aggregate types
(RuntimeCall, RuntimeEvent, RuntimeError, OriginCaller) built from their declarations.

Indices are the real runtime's; retired ones are kept as comments, as in subtensor's
`runtime/src/lib.rs`. `wire` binds every pallet's `Config` (the Python counterpart of the
`impl pallet_x::Config for Runtime` blocks), in this one place; the `runtime` package calls
it when imported, once the runtime's version exists.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets import (
    admin_utils,
    aura,
    balances,
    commitments,
    crowdloan,
    drand,
    grandpa,
    multisig,
    preimage,
    proxy,
    randomness_collective_flip,
    registry,
    safe_mode,
    scheduler,
    shield,
    subtensor,
    sudo,
    swap,
    system,
    timestamp,
    transaction_payment,
    utility,
)
from pysubtensor.pallets.subtensor.epoch.reset_bonds import reset_bonds_on_commit
from pysubtensor.pallets.subtensor.utils.neuron_lookup import is_hotkey_registered_on_network
from pysubtensor.pallets.subtensor.weights.weights import get_epoch_index
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import RAW_ORIGIN, DispatchInfo, Origin, PostDispatchInfo
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.pallets.transaction_payment.payment import SubtensorTxFeeHandler
from pysubtensor.primitives.aura import slot_from_digests
from pysubtensor.primitives.scale import Codec, Enum, Field, Struct, Variant
from pysubtensor.primitives.version import RUNTIME_VERSION, RuntimeVersion
from pysubtensor.runtime.base_call_filter import base_call_filter, safe_mode_whitelisted
from pysubtensor.runtime.identity import allow_identity_reg
from pysubtensor.runtime.proxy_filter import ProxyTypeFilter

__all__ = [
    "ORIGIN_CALLER",
    "PALLETS",
    "PALLETS_BY_INDEX",
    "PALLETS_BY_NAME",
    "RUNTIME",
    "RUNTIME_CALL",
    "RUNTIME_ERROR",
    "RUNTIME_EVENT",
    "SESSION_KEYS",
    "SESSION_KEY_TYPES",
    "block_author",
    "dispatch",
    "dispatch_info",
    "wire",
]

PALLETS: tuple[Pallet, ...] = (
    system.pallet,                      # 0
    randomness_collective_flip.pallet,  # 1
    timestamp.pallet,                   # 2
    aura.pallet,                        # 3
    grandpa.pallet,                     # 4
    balances.pallet,                    # 5
    transaction_payment.pallet,         # 6
    subtensor.pallet,                   # 7
    # 8, 9, 10: retired (Triumvirate, TriumvirateMembers, SenateMembers).
    utility.pallet,                     # 11
    sudo.pallet,                        # 12
    multisig.pallet,                    # 13
    preimage.pallet,                    # 14
    scheduler.pallet,                   # 15
    proxy.pallet,                       # 16
    registry.pallet,                    # 17
    commitments.pallet,                 # 18
    admin_utils.pallet,                 # 19 AdminUtils
    safe_mode.pallet,                   # 20
    drand.pallet,                       # 26
    crowdloan.pallet,                   # 27
    swap.pallet,                        # 28 Swap
    shield.pallet,                      # 30 MevShield
)
# A pallet whose declarations disagree with its metadata order is refused when composed.
for _pallet in PALLETS:
    _pallet.check()
PALLETS_BY_NAME = {p.name: p for p in PALLETS}
PALLETS_BY_INDEX = {p.index: p for p in PALLETS}

#: `node_subtensor_runtime::Runtime`: the unit type that names the runtime.
RUNTIME = Struct(("node_subtensor_runtime", "Runtime"), ())


#: Crate names as `construct_runtime!` spells them where the runtime imports a fork under
#: the upstream name (subtensor's utility fork is `pallet_utility` in the runtime).
_CRATE_ALIASES = {"Utility": "pallet_utility", "Proxy": "pallet_proxy"}


def _crate(pallet: Pallet) -> str:
    return _CRATE_ALIASES.get(pallet.name, pallet.crate)


def _generic_param(pallet: Pallet) -> str:
    return "<Runtime>" if pallet.event_enum.params else ""


RUNTIME_CALL = Enum(
    ("node_subtensor_runtime", "RuntimeCall"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.call_enum, "self::sp_api_hidden_includes_construct_runtime::"
                                        f"hidden_include::dispatch\n::CallableCallFor<{p.name}, Runtime>"),))
        for p in PALLETS if p.calls
    ),
)

RUNTIME_EVENT = Enum(
    ("node_subtensor_runtime", "RuntimeEvent"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.event_enum, f"{_crate(p)}::Event{_generic_param(p)}"),))
        for p in PALLETS if p.event_enum.variants
    ),
)

RUNTIME_ERROR = Enum(
    ("node_subtensor_runtime", "RuntimeError"),
    tuple(
        Variant(p.name, p.index, (Field(None, p.error_enum, f"{_crate(p)}::Error<Runtime>"),))
        for p in PALLETS if p.error_enum.variants
    ),
)

#: `OriginCaller` (`T::PalletsOrigin`): only frame_system's origin exists without Ethereum.
ORIGIN_CALLER = Enum(
    ("node_subtensor_runtime", "OriginCaller"),
    (Variant("system", 0, (Field(None, RAW_ORIGIN, "frame_system::Origin<Runtime>"),)),),
)


def dispatch_info(call: tuple[str, Any]) -> DispatchInfo:
    """`GetDispatchInfo` of a RuntimeCall value."""
    pallet_name, inner = call
    return PALLETS_BY_NAME[pallet_name].dispatch_info(inner)


def dispatch(origin: Origin, call: tuple[str, Any], *, bypass_filter: bool = False) -> PostDispatchInfo | None:
    """Run a RuntimeCall value as `origin` (raises DispatchError on failure).

    Unless `bypass_filter`, a non-Root origin passes the runtime's base call filter
    (SafeMode, no nested batches: `base_call_filter`), then the filters the origin carries
    (Utility's, Proxy's); Root passes both (`OriginTrait::filter_call`).
    """
    if not bypass_filter and origin.kind != Origin.ROOT and not (base_call_filter(call) and origin.filter_call(call)):
        raise system.pallet.Error.CallFiltered()
    pallet_name, inner = call
    return PALLETS_BY_NAME[pallet_name].dispatch(origin, inner)


def _origin_of_caller(caller: tuple[str, Any]) -> Origin:
    kind, raw = caller
    if kind != "system":
        raise ValueError(f"unknown origin caller {kind!r}")
    return Origin.from_raw(raw)


def _deposit_event(pallet: Pallet, event: Any) -> None:
    """`RuntimeEvent::<Pallet>(event)`, recorded by System."""
    system.deposit_event((pallet.name, event))


def block_author() -> bytes | None:
    """`BlockAuthorFromAura::get_block_author`: the Aura authority of the block's slot (from
    the pre-runtime digest in System.Digest), who receives the fees; None without one."""
    # Read-only reads (`peek`): every signed transaction's fee comes here.
    index = aura.find_author(system.digest_ref().logs)
    if index is None:
        return None
    authorities = aura.Authorities.peek()
    return authorities[index] if index < len(authorities) else None


def _submit_unsigned(pallet: Pallet) -> Any:
    """`CreateBare::create_bare` + `SubmitTransaction`: a call of `pallet` as a bare extrinsic,
    handed to the node's pool through the offchain host functions."""
    from pysubtensor.primitives import offchain
    from pysubtensor.runtime.extrinsic import UncheckedExtrinsic

    def submit(call: Any) -> None:
        offchain.current().submit_transaction(UncheckedExtrinsic.encode_bare(RUNTIME_CALL.encode((pallet.name, call))))

    return submit


class FindAuraAuthors:
    """subtensor's `FindAuraAuthors`: the Aura authorities of this block's slot and of the
    slot two ahead (slot modulo the authority count), for MevShield's key rotation."""

    @staticmethod
    def _author_at(offset: int) -> bytes | None:
        slot = slot_from_digests(system.digest().logs)
        authorities = aura.Authorities.get()
        if slot is None or not authorities:
            return None
        return authorities[(slot + offset) % len(authorities)]

    def find_current_author(self) -> bytes | None:
        return self._author_at(0)

    def find_next_next_author(self) -> bytes | None:
        return self._author_at(2)


class Proxier:
    """`impl ProxyInterface for Proxier`: a subnet lease's beneficiary proxy, no delay."""

    def add_lease_beneficiary_proxy(self, lease: bytes, beneficiary: bytes) -> None:
        proxy.add_proxy_delegate(lease, beneficiary, "SubnetLeaseBeneficiary", 0)

    def remove_lease_beneficiary_proxy(self, lease: bytes, beneficiary: bytes) -> None:
        proxy.remove_proxy_delegate(lease, beneficiary, "SubnetLeaseBeneficiary", 0)


def wire(version: RuntimeVersion, block: Codec) -> None:
    """Bind every pallet's `Config` as this runtime composes them (`impl pallet_x::Config for
    Runtime`): `version` is the runtime's, `block` its `Block` codec. Done when the `runtime`
    package is imported; tests that bind their own use `Pallet.bound`, which restores this."""
    events = _deposit_event
    calls = {"deposit_event": events, "runtime_call": RUNTIME_CALL, "origin_caller": ORIGIN_CALLER,
             "dispatch": dispatch, "dispatch_info": dispatch_info, "origin_of_caller": _origin_of_caller}
    system.pallet.bind(system.Config(
        deposit_event=events, runtime_event=RUNTIME_EVENT, runtime_call=RUNTIME_CALL, block=block,
        version_codec=RUNTIME_VERSION, version=version))
    randomness_collective_flip.pallet.bind(PalletConfig(deposit_event=events))
    # `OnTimestampSet = Aura`.
    timestamp.pallet.bind(timestamp.Config(deposit_event=events, on_timestamp_set=aura.on_timestamp_set))
    aura.pallet.bind(PalletConfig(deposit_event=events))
    grandpa.pallet.bind(PalletConfig(deposit_event=events))
    # `AccountStore = System`.
    balances.pallet.bind(balances.Config(deposit_event=events, account_store=system))
    # Fees go to the block author (`TransactionFeeHandler`).
    transaction_payment.pallet.bind(transaction_payment.Config(
        deposit_event=events, on_charge_transaction=SubtensorTxFeeHandler(block_author=block_author)))
    # `Currency = Balances`; `SwapInterface = Swap`.
    # `pallet_drand::Config` supertrait: timelocked weights are revealed with Drand's pulses.
    subtensor.pallet.bind(subtensor.config.Config(deposit_event=events, currency=balances.fungible,
                                                  swap=swap.handler, block_author=block_author,
                                                  proxy=Proxier(), purge_commitments=commitments.purge_netuid,
                                                  pulse_of=drand.Pulses.get))
    utility.pallet.bind(utility.Config(**calls))
    sudo.pallet.bind(sudo.Config(**calls))
    # `Currency = Balances`.
    multisig.pallet.bind(multisig.Config(**calls, currency=balances.currency))
    preimage.pallet.bind(preimage.Config(deposit_event=events))
    scheduler.pallet.bind(scheduler.Config(**calls))
    # `Currency = Balances`, `ProxyType = subtensor_runtime_common::ProxyType` and its filter.
    proxy.pallet.bind(proxy.Config(**calls, currency=balances.currency, instance_filter=ProxyTypeFilter))
    registry.pallet.bind(registry.Config(deposit_event=events, can_register=allow_identity_reg))
    admin_utils.pallet.bind(admin_utils.Config(deposit_event=events, aura=aura, grandpa=grandpa))
    # `WhitelistedCalls = SafeModeWhitelistedCalls`; the durations and (absent) deposits are the Config defaults.
    safe_mode.pallet.bind(safe_mode.Config(deposit_event=events, whitelisted_calls=safe_mode_whitelisted))
    # `Currency = Balances`, `Preimages = Preimage`; the fast runtime's `parameter_types!`.
    crowdloan.pallet.bind(crowdloan.Config(
        **calls, currency=balances.fungible, preimages=preimage, pallet_id=b"bt/cloan",
        minimum_deposit=10_000_000_000, absolute_minimum_contribution=100_000_000,  # 10 TAO, 0.1 TAO
        minimum_block_duration=50, maximum_block_duration=20_000,  # prod_or_fast!(50400, 50), (432000, 20000)
        refund_contributors_limit=50, max_contributors=500))
    # `SubnetInfo = SubtensorModule`, `TaoReserve` / `AlphaReserve` = its pool reserves.
    swap.pallet.bind(swap.Config(deposit_event=events, subnet_info=subtensor.swap_bridge.SUBNET_INFO,
                                 tao_reserve=subtensor.swap_bridge.TAO_RESERVE,
                                 alpha_reserve=subtensor.swap_bridge.ALPHA_RESERVE))
    # `Verifier = QuicknetVerifier`.
    drand.pallet.bind(drand.Config(deposit_event=events, verifier=drand.quicknet_verify,
                                   submit_unsigned=_submit_unsigned(drand.pallet)))
    # `Currency = Balances`, `CanCommit = AllowCommitments`, `OnMetadataCommitment =
    # ResetBondsOnCommit`, `TempoInterface` (SubtensorModule), and Drand's pulses.
    commitments.pallet.bind(commitments.Config(
        deposit_event=events, currency=balances.currency, can_commit=is_hotkey_registered_on_network,
        on_metadata_commitment=reset_bonds_on_commit, get_epoch_index=get_epoch_index, pulse_of=drand.Pulses.get))
    # `FindAuthors = FindAuraAuthors`, `ExtrinsicDecryptor = ()`.
    shield.pallet.bind(shield.Config(**calls, find_authors=FindAuraAuthors()))
    unbound = [p.name for p in PALLETS if not p.is_bound]
    if unbound:
        raise RuntimeError(f"runtime.construct.wire binds no Config for {', '.join(unbound)}")


#: `opaque::SessionKeys { aura: Aura, grandpa: Grandpa }` (`impl_opaque_keys!`): each key's
#: type id, public key length and signature scheme, in field order.
SESSION_KEYS = ((b"aura", 32, "sr25519"), (b"gran", 32, "ed25519"))
#: (key type id, public key length) of each session key.
SESSION_KEY_TYPES = tuple((key_type, length) for key_type, length, _ in SESSION_KEYS)
