"""Transaction extensions (sp-runtime's `TransactionExtension`): the checks and charges a
signed extrinsic carries. Each pallet that owns one defines it beside its logic (frame_system's
checks in `pallets.system.extensions`, the fee in `pallets.transaction_payment.charge`, …);
the runtime composes them into its `TxExtension` tuple in the metadata's order
(`runtime.extensions`).

Errors are `TransactionValidityError`s, raised.
"""

from __future__ import annotations

from typing import Any

from pysubtensor.pallets.support.dispatch import DispatchInfo, Origin, PostDispatchInfo, Weight
from pysubtensor.primitives.transaction_validity import ValidTransaction

__all__ = ["TransactionExtension"]

_ZERO = Weight(0, 0)


class TransactionExtension:
    """`TransactionExtension` defaults: weightless, no implicit data, valid, nothing to
    prepare or refund; the bare forms accept."""

    #: The identifier metadata lists the extension under.
    identifier = ""

    def weight(self, call: Any) -> Weight:
        return _ZERO

    def implicit(self) -> Any:
        return None

    def validate(self, origin: Origin, call: Any, info: DispatchInfo, length: int,
                 source: str) -> tuple[ValidTransaction, Any]:
        return ValidTransaction(), None

    def prepare(self, val: Any, origin: Origin, call: Any, info: DispatchInfo, length: int) -> Any:
        return None

    def post_dispatch_details(self, pre: Any, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                              result: Any) -> Weight:
        """The weight to refund (the default implementation refunds nothing)."""
        return _ZERO

    # Bare (unsigned) extrinsics: only the inherent-facing checks apply.
    def bare_validate(self, call: Any, info: DispatchInfo, length: int) -> ValidTransaction:
        return ValidTransaction()

    def bare_validate_and_prepare(self, call: Any, info: DispatchInfo, length: int) -> None:
        return None

    def bare_post_dispatch(self, info: DispatchInfo, post_info: PostDispatchInfo, length: int,
                           result: Any) -> PostDispatchInfo:
        return post_info
