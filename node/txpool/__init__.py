"""The transaction pool (sc-transaction-pool, single-state): validation through the runtime,
ready and future queues by tags, replacement, bans, limits, maintenance per block and the
status stream of every transaction."""

from .base import PoolStatus
from .errors import (
    AlreadyImported,
    BadFormat,
    CycleDetected,
    ImmediatelyDropped,
    InvalidBlockId,
    InvalidTransactionError,
    NoTagsProvided,
    PoolError,
    RejectedFutureTransaction,
    TemporarilyBanned,
    TooLowPriority,
    Unactionable,
    UnknownTransactionError,
    VerificationFailed,
)
from .listener import Watcher
from .pool import PoolOptions, TransactionPool, Validator
from .ready import BestIterator
from .status import TransactionStatus
from .transaction import Limit, Transaction

__all__ = [
    "AlreadyImported",
    "BadFormat",
    "BestIterator",
    "CycleDetected",
    "ImmediatelyDropped",
    "InvalidBlockId",
    "InvalidTransactionError",
    "Limit",
    "NoTagsProvided",
    "PoolError",
    "PoolOptions",
    "PoolStatus",
    "RejectedFutureTransaction",
    "TemporarilyBanned",
    "TooLowPriority",
    "Transaction",
    "TransactionPool",
    "TransactionStatus",
    "Unactionable",
    "UnknownTransactionError",
    "Validator",
    "VerificationFailed",
    "Watcher",
]
