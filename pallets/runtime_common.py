"""What subtensor's runtime-common crate (`subtensor_runtime_common`) gives several pallets:
here `CustomTransactionError`, the `InvalidTransaction::Custom(u8)` codes its transaction
extensions refuse transactions with (SubtensorModule's, MevShield's)."""

from __future__ import annotations

from enum import IntEnum

from pysubtensor.primitives.transaction_validity import InvalidTransaction, TransactionValidityError

__all__ = ["CustomTransactionError"]


class CustomTransactionError(IntEnum):
    """The codes as `u8::from(CustomTransactionError)` maps them. Code 0 keeps spec 381's
    name (main deprecates it as `ColdkeyInSwapSchedule`); 23 on are main's."""

    ColdkeySwapAnnounced = 0
    StakeAmountTooLow = 1
    BalanceTooLow = 2
    SubnetNotExists = 3
    HotkeyAccountDoesntExist = 4
    NotEnoughStakeToWithdraw = 5
    RateLimitExceeded = 6
    InsufficientLiquidity = 7
    SlippageTooHigh = 8
    TransferDisallowed = 9
    HotKeyNotRegisteredInNetwork = 10
    InvalidIpAddress = 11
    ServingRateLimitExceeded = 12
    InvalidPort = 13
    ZeroMaxAmount = 14
    InvalidRevealRound = 15
    CommitNotFound = 16
    CommitBlockNotInRevealRange = 17
    InputLengthsUnequal = 18
    UidNotFound = 19
    EvmKeyAssociateRateLimitExceeded = 20
    ColdkeySwapDisputed = 21
    InvalidRealAccount = 22
    FailedShieldedTxParsing = 23
    InvalidShieldedTxPubKeyHash = 24
    NonAssociatedColdKey = 25
    DelegateTakeTooLow = 26
    DelegateTakeTooHigh = 27
    BadRequest = 255

    def error(self) -> TransactionValidityError:
        """`TransactionValidityError::Invalid(InvalidTransaction::Custom(code))`."""
        return TransactionValidityError.invalid(InvalidTransaction.CUSTOM, int(self))
