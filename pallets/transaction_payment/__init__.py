"""TransactionPayment (pallet 6, `pallet_transaction_payment`): transaction fees.

    fee = base_fee + len_fee + multiplier * weight_fee + tip

with subtensor's settings: `WeightToFee = LinearWeightToFee` (ref-time * 0.0005, i.e.
`Perbill::from_parts(500_000)`), `LengthToFee = IdentityFee` (1 rao per byte),
`FeeMultiplierUpdate = ConstFeeMultiplier<1>`, `OperationalFeeMultiplier = 5`, and
`OnChargeTransaction = SubtensorTxFeeHandler` (withdraw the estimated fee before dispatch,
refund the unused part after, hand the fee to the block author or burn it).

The runtime binds its `Config` (`pallet.bind(Config(...))`); `fees` computes fees, `payment`
moves the money, `charge` is the `ChargeTransactionPayment` transaction extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.dispatch import DispatchClass, DispatchInfo, PostDispatchInfo, Weight
from pysubtensor.pallets.support.pallet import Pallet, constant, event
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.pallets.support.types import AccountId, scale_type
from pysubtensor.pallets.system.limits import SUBTENSOR_BLOCK_LENGTH, SUBTENSOR_BLOCK_WEIGHTS
from pysubtensor.pallets.transaction_payment.types import FIXED_U128, MULTIPLIER_ONE, RELEASES
from pysubtensor.primitives.scale import U8
from pysubtensor.primitives.types import BALANCE

__all__ = ["Config", "Constants", "Event", "OnChargeTransaction", "pallet"]

pallet = Pallet("TransactionPayment", 6, crate="pallet_transaction_payment", type_params=("T",))

# ---------------------------------------------------------------------------
# Storage

NextFeeMultiplier = pallet.storage("NextFeeMultiplier", StorageValue(FIXED_U128, default=MULTIPLIER_ONE))
StorageVersion = pallet.storage("StorageVersion", StorageValue(RELEASES, default="V1Ancient"))

# ---------------------------------------------------------------------------
# Constants


@pallet.constants
class Constants:
    OperationalFeeMultiplier = constant(U8, 5, """
        A fee multiplier for `Operational` extrinsics to compute "virtual tip" to boost their
        `priority`

        This value is multiplied by the `final_fee` to obtain a "virtual tip" that is later
        added to a tip component in regular `priority` calculations.
        It means that a `Normal` transaction can front-run a similarly-sized `Operational`
        extrinsic (with no tip), by including a tip value greater than the virtual tip.

        ```rust,ignore
        // For `Normal`
        let priority = priority_calc(tip);

        // For `Operational`
        let virtual_tip = (inclusion_fee + tip) * OperationalFeeMultiplier;
        let priority = priority_calc(tip + virtual_tip);
        ```

        Note that since we use `final_fee` the multiplier applies also to the regular `tip`
        sent with the transaction. So, not only does the transaction get a priority bump based
        on the `inclusion_fee`, but we also amplify the impact of tips applied to `Operational`
        transactions.
    """)


# ---------------------------------------------------------------------------
# Events

BalanceOf = scale_type(BALANCE, int, "BalanceOf<T>")


@pallet.events
class Event:
    @event(0)
    class TransactionFeePaid:
        """A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee,
        has been paid by `who`."""

        who: AccountId
        actual_fee: BalanceOf
        tip: BalanceOf


# ---------------------------------------------------------------------------
# Configuration (the runtime's `impl pallet_transaction_payment::Config`)

_U64_MAX = (1 << 64) - 1
_CLASSES = (DispatchClass.NORMAL, DispatchClass.OPERATIONAL, DispatchClass.MANDATORY)


def _base_extrinsic() -> dict[str, Weight]:
    """Subtensor's `BlockWeights::get().get(class).base_extrinsic` (108.157 µs for each class)."""
    return {c: SUBTENSOR_BLOCK_WEIGHTS.get(c).base_extrinsic for c in _CLASSES}


def _max_block_length() -> dict[str, int]:
    """Subtensor's `BlockLength::get().max` (10 MiB, 75% of it for Normal)."""
    return {c: SUBTENSOR_BLOCK_LENGTH.max.get(c) for c in _CLASSES}


def linear_weight_to_fee(weight: Weight) -> int:
    """Subtensor's `LinearWeightToFee`: `Perbill::from_parts(500_000) * ref_time` (round half
    down, as `Perbill`'s multiplication rounds), saturating at u64::MAX."""
    fee, rem = divmod(weight.ref_time * 500_000, 1_000_000_000)
    if rem * 2 > 1_000_000_000:
        fee += 1
    return min(fee, _U64_MAX)


def identity_length_to_fee(length: int) -> int:
    """`IdentityFee<Balance>` applied to `Weight::from_parts(len, 0)`: one rao per byte."""
    return min(length, _U64_MAX)


def const_fee_multiplier(_previous: int) -> int:
    """`ConstFeeMultiplier<FeeMultiplier>` with `FeeMultiplier = Multiplier::one()`."""
    return MULTIPLIER_ONE


class OnChargeTransaction(Protocol):
    """`pallet_transaction_payment::OnChargeTransaction` (subtensor: `payment.SubtensorTxFeeHandler`)."""

    def can_withdraw_fee(self, who: bytes, call: Any, info: DispatchInfo, fee: int, tip: int) -> None: ...

    def withdraw_fee(self, who: bytes, call: Any, info: DispatchInfo, fee: int, tip: int) -> Any: ...

    def correct_and_deposit_fee(self, who: bytes, info: DispatchInfo, post_info: PostDispatchInfo,
                                corrected_fee: int, tip: int, already_withdrawn: Any) -> None: ...


@pallet.config_type
@dataclass(frozen=True, kw_only=True)
class Config(PalletConfig):
    """`pallet_transaction_payment::Config`, as the runtime binds it (defaults: subtensor's).

    - `on_charge_transaction`: the `OnChargeTransaction` (see `payment`);
    - `base_extrinsic`: `BlockWeights::get().get(class).base_extrinsic`, per dispatch class;
    - `max_block`: `BlockWeights::get().max_block` (weights are capped at it for fees);
    - `max_block_length`: `BlockLength::get().max`, per class (for `get_priority`);
    - `weight_to_fee`, `length_to_fee`, `fee_multiplier_update`: as in Rust.
    """

    on_charge_transaction: OnChargeTransaction
    base_extrinsic: dict[str, Weight] = field(default_factory=_base_extrinsic)
    max_block: Weight = SUBTENSOR_BLOCK_WEIGHTS.max_block
    max_block_length: dict[str, int] = field(default_factory=_max_block_length)
    weight_to_fee: Callable[[Weight], int] = linear_weight_to_fee
    length_to_fee: Callable[[int], int] = identity_length_to_fee
    fee_multiplier_update: Callable[[int], int] = const_fee_multiplier


# ---------------------------------------------------------------------------
# Hooks and genesis


@pallet.hook_on_finalize
def on_finalize(_n: int) -> None:
    """Update the multiplier for the next block (a constant 1 on subtensor)."""
    NextFeeMultiplier.mutate(pallet.config.fee_multiplier_update)


@pallet.genesis
def build_genesis(config: dict[str, Any]) -> None:
    """`multiplier` (FixedU128 bits, default 1): writes `StorageVersion = V2` and the multiplier."""
    StorageVersion.put("V2")
    NextFeeMultiplier.put(int(config.get("multiplier", MULTIPLIER_ONE)))
