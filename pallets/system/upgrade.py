"""Runtime code upgrades: `set_code`'s checks and effect, authorized upgrades.

`OnSetCode` is `()` in subtensor, so setting code writes `:code`, deposits a
`RuntimeEnvironmentUpdated` digest item and emits `CodeUpdated`. We do the same, but the
Python runtime keeps executing: the stored code is not run. No multi-block migrations exist
(`MultiBlockMigrator` is `()`), so `MultiBlockMigrationsOngoing` never happens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pysubtensor.pallets.support.dispatch import ModuleError, Pays, PostDispatchInfo, Weight
from pysubtensor.primitives import externalities
from pysubtensor.primitives.hashing import blake2_256
from pysubtensor.primitives.header import RuntimeEnvironmentUpdated

from . import events
from .pallet import CODE, AuthorizedUpgrade, Constants, Error, Event, LastRuntimeUpgrade, pallet
from .types import CodeUpgradeAuthorization, LastRuntimeUpgradeInfo

__all__ = [
    "apply_authorized_upgrade",
    "can_set_code",
    "do_authorize_upgrade",
    "update_code_in_storage",
    "validate_code_is_authorized",
]


def can_set_code(code: bytes, *, check_version: bool) -> None:
    """Raise unless `code` may replace the runtime: with `check_version`, its embedded
    version must keep our spec name and raise our spec version."""
    if not check_version:
        return
    new = pallet.config.read_runtime_version(code)
    if new is None:
        raise Error.FailedToExtractRuntimeVersion()
    current = pallet.config.version
    if new.spec_name != current.spec_name:
        raise Error.InvalidSpecName()
    if new.spec_version <= current.spec_version:
        raise Error.SpecVersionNeedsToIncrease()


def update_code_in_storage(code: bytes) -> None:
    externalities.current().set(CODE, code)
    events.deposit_log(RuntimeEnvironmentUpdated())
    pallet.deposit_event(Event.CodeUpdated())


def do_authorize_upgrade(code_hash: bytes, *, check_version: bool) -> None:
    AuthorizedUpgrade.put(CodeUpgradeAuthorization(code_hash, check_version))
    pallet.deposit_event(Event.UpgradeAuthorized(code_hash, check_version))


def validate_code_is_authorized(code: bytes) -> CodeUpgradeAuthorization:
    authorization = AuthorizedUpgrade.get()
    if authorization is None:
        raise Error.NothingAuthorized()
    if blake2_256(code) != authorization.code_hash:
        raise Error.Unauthorized()
    return authorization


def apply_authorized_upgrade(code: bytes) -> PostDispatchInfo:
    """Apply authorized `code`. A version that fails the checks is not the caller's fault:
    the authorization is dropped, `RejectedInvalidAuthorizedUpgrade` emitted, no fee paid."""
    authorization = validate_code_is_authorized(code)
    AuthorizedUpgrade.kill()
    try:
        can_set_code(code, check_version=authorization.check_version)
    except ModuleError as error:
        pallet.deposit_event(Event.RejectedInvalidAuthorizedUpgrade(authorization.code_hash, error.value))
        return PostDispatchInfo(pays_fee=Pays.NO)
    update_code_in_storage(code)
    return PostDispatchInfo(actual_weight=Constants.BlockWeights.max_block, pays_fee=Pays.NO)


def on_runtime_upgrade_if_needed(hooks: Iterable[Callable[[], Weight]]) -> Weight:
    """frame-executive's `runtime_upgraded` check, System's part: when `LastRuntimeUpgrade`
    is not the bound version, run `hooks` (the composed pallets' `on_runtime_upgrade`, in
    runtime order), then record the version. Returns the weight the hooks used."""
    weight = Weight(0, 0)
    version = pallet.config.version
    last = LastRuntimeUpgrade.get()
    if last is None or last.was_upgraded(version):
        for hook in hooks:
            weight = weight.saturating_add(hook())
        LastRuntimeUpgrade.put(LastRuntimeUpgradeInfo.of(version))
    return weight
