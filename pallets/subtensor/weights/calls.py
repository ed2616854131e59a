"""Weights calls: set weights (plain, mechanism, batch), hash commit-reveal (commit, reveal,
batch and mechanism variants) and timelocked commits, declared with the real indices,
argument types and docs; the rules live in `weights.weights`."""

from __future__ import annotations

from pysubtensor.pallets.subtensor.errors import Error
from pysubtensor.pallets.subtensor.pallet import pallet
from pysubtensor.pallets.subtensor.types import MechId, NetUid
from pysubtensor.pallets.subtensor.utils.neuron_lookup import ensure_mechanism_exists
from pysubtensor.pallets.subtensor.weights import call_weights as W
from pysubtensor.pallets.subtensor.weights import weights as logic
from pysubtensor.pallets.subtensor.weights.storage import CommitRevealWeightsEnabled
from pysubtensor.pallets.support.dispatch import Pays, ensure, ensure_signed
from pysubtensor.pallets.support.pallet import Arg
from pysubtensor.pallets.support.types import bounded_vec, u16, u64
from pysubtensor.primitives.scale import H256, U8, U16, U64, Compact, Tuple, Vec

__all__ = [
    "batch_commit_weights", "batch_reveal_weights", "batch_set_weights", "commit_crv3_mechanism_weights",
    "commit_mechanism_weights", "commit_timelocked_mechanism_weights", "commit_timelocked_weights",
    "commit_weights", "reveal_mechanism_weights", "reveal_weights", "set_mechanism_weights", "set_weights",
]

_H256 = Arg(H256, "H256")
_VEC_U16 = Arg(Vec(U16), "Vec<u16>")
_VEC_VEC_U16 = Arg(Vec(Vec(U16)), "Vec<Vec<u16>>")
_VEC_U64 = Arg(Vec(U64), "Vec<u64>")
_HASHES = Arg(Vec(H256), "Vec<H256>")
_NETUIDS = Arg(Vec(Compact(U16)), "Vec<Compact<NetUid>>")
_BATCH_WEIGHTS = Arg(Vec(Vec(Tuple(Compact(U16), Compact(U16)))), "Vec<Vec<(Compact<u16>, Compact<u16>)>>")
_VERSION_KEYS = Arg(Vec(Compact(U64)), "Vec<Compact<u64>>")
#: `BoundedVec<u8, ConstU32<5000>>`: a longer commit does not decode (the extrinsic is invalid).
_COMMIT = Arg(bounded_vec(U8), "BoundedVec<u8, ConstU32<MAX_CRV3_COMMIT_SIZE_BYTES>>")
#: The commit-reveal version the crv3 call implies.
_CRV3_VERSION = 4


@pallet.call(0, weight=W.SET_WEIGHTS, pays=Pays.NO)
def set_weights(origin, netuid: NetUid, dests: _VEC_U16, weights: _VEC_U16, version_key: u64) -> None:
    """--- Sets the caller weights for the incentive mechanism. The call can be
    made from the hotkey account so is potentially insecure, however, the damage
    of changing weights is minimal if caught early. This function includes all the
    checks that the passed weights meet the requirements. Stored as u16s they represent
    rational values in the range [0,1] which sum to 1 and can be interpreted as
    probabilities. The specific weights determine how inflation propagates outward
    from this peer.

    Note: The 16 bit integers weights should represent 1.0 as the max u16.
    However, the function normalizes all integers to u16_max anyway. This means that if the sum of all
    elements is larger or smaller than the amount of elements * u16_max, all elements
    will be corrected for this deviation.

    # Args:
    * `origin`: (<T as frame_system::Config>Origin):
        - The caller, a hotkey who wishes to set their weights.

    * `netuid` (u16):
    \t- The network uid we are setting these weights on.

    * `dests` (Vec<u16>):
    \t- The edge endpoint for the weight, i.e. j for w_ij.

    * 'weights' (Vec<u16>):
    \t- The u16 integer encoded weights. Interpreted as rational
        values in the range [0,1]. They must sum to in32::MAX.

    * 'version_key' ( u64 ):
    \t- The network version key to check if the validator is up to date.

    # Event:
    * WeightsSet;
    \t- On successfully setting the weights on chain.

    # Raises:
    * 'MechanismDoesNotExist':
    \t- Attempting to set weights on a non-existent network.

    * 'NotRegistered':
    \t- Attempting to set weights from a non registered account.

    * 'WeightVecNotEqualSize':
    \t- Attempting to set weights with uids not of same length.

    * 'DuplicateUids':
    \t- Attempting to set weights with duplicate uids.

        * 'UidsLengthExceedUidsInSubNet':
    \t- Attempting to set weights above the max allowed uids.

    * 'UidVecContainInvalidOne':
    \t- Attempting to set weights with invalid uids.

    * 'WeightVecLengthIsLow':
    \t- Attempting to set weights with fewer weights than min.

    * 'MaxWeightExceeded':
    \t- Attempting to set weights with max value exceeding limit.
    """
    ensure(not CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealEnabled)
    logic.do_set_weights(ensure_signed(origin), netuid, logic.MAIN, dests, weights, version_key)

@pallet.call(119, weight=W.SET_MECHANISM_WEIGHTS, pays=Pays.NO)
def set_mechanism_weights(origin, netuid: NetUid, mecid: MechId, dests: _VEC_U16, weights: _VEC_U16, version_key: u64) -> None:
    """--- Sets the caller weights for the incentive mechanism for mechanisms. The call
    can be made from the hotkey account so is potentially insecure, however, the damage
    of changing weights is minimal if caught early. This function includes all the
    checks that the passed weights meet the requirements. Stored as u16s they represent
    rational values in the range [0,1] which sum to 1 and can be interpreted as
    probabilities. The specific weights determine how inflation propagates outward
    from this peer.

    Note: The 16 bit integers weights should represent 1.0 as the max u16.
    However, the function normalizes all integers to u16_max anyway. This means that if the sum of all
    elements is larger or smaller than the amount of elements * u16_max, all elements
    will be corrected for this deviation.

    # Args:
    * `origin`: (<T as frame_system::Config>Origin):
        - The caller, a hotkey who wishes to set their weights.

    * `netuid` (u16):
    \t- The network uid we are setting these weights on.

    * `mecid` (`u8`):
      - The u8 mechnism identifier.

    * `dests` (Vec<u16>):
    \t- The edge endpoint for the weight, i.e. j for w_ij.

    * 'weights' (Vec<u16>):
    \t- The u16 integer encoded weights. Interpreted as rational
        values in the range [0,1]. They must sum to in32::MAX.

    * 'version_key' ( u64 ):
    \t- The network version key to check if the validator is up to date.

    # Event:
    * WeightsSet;
    \t- On successfully setting the weights on chain.

    # Raises:
    * 'MechanismDoesNotExist':
    \t- Attempting to set weights on a non-existent network.

    * 'NotRegistered':
    \t- Attempting to set weights from a non registered account.

    * 'WeightVecNotEqualSize':
    \t- Attempting to set weights with uids not of same length.

    * 'DuplicateUids':
    \t- Attempting to set weights with duplicate uids.

        * 'UidsLengthExceedUidsInSubNet':
    \t- Attempting to set weights above the max allowed uids.

    * 'UidVecContainInvalidOne':
    \t- Attempting to set weights with invalid uids.

    * 'WeightVecLengthIsLow':
    \t- Attempting to set weights with fewer weights than min.

    * 'MaxWeightExceeded':
    \t- Attempting to set weights with max value exceeding limit.
    """
    ensure(not CommitRevealWeightsEnabled.get(netuid), Error.CommitRevealEnabled)
    logic.do_set_weights(ensure_signed(origin), netuid, mecid, dests, weights, version_key)

@pallet.call(80, weight=W.BATCH_SET_WEIGHTS, pays=Pays.NO)
def batch_set_weights(origin, netuids: _NETUIDS, weights: _BATCH_WEIGHTS, version_keys: _VERSION_KEYS) -> None:
    """--- Allows a hotkey to set weights for multiple netuids as a batch.

    # Args:
    * `origin`: (<T as frame_system::Config>Origin):
        - The caller, a hotkey who wishes to set their weights.

    * `netuids` (Vec<Compact<u16>>):
    \t- The network uids we are setting these weights on.

    * `weights` (Vec<Vec<(Compact<u16>, Compact<u16>)>):
    \t- The weights to set for each network. [(uid, weight), ...]

    * `version_keys` (Vec<Compact<u64>>):
    \t- The network version keys to check if the validator is up to date.

    # Event:
    * WeightsSet;
    \t- On successfully setting the weights on chain.
    * BatchWeightsCompleted;
    \t- On success of the batch.
    * BatchCompletedWithErrors;
    \t- On failure of any of the weights in the batch.
    * BatchWeightItemFailed;
    \t- On failure for each failed item in the batch.

    """
    logic.do_batch_set_weights(ensure_signed(origin), netuids, weights, version_keys)

@pallet.call(96, weight=W.COMMIT_WEIGHTS, pays=Pays.NO)
def commit_weights(origin, netuid: NetUid, commit_hash: _H256) -> None:
    """---- Used to commit a hash of your weight values to later be revealed.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The signature of the committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `commit_hash` (`H256`):
      - The hash representing the committed weights.

    # Raises:
    * `CommitRevealDisabled`:
      - Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`:
      - Attempting to commit when the user has more than the allowed limit of unrevealed commits.

    """
    logic.do_commit_weights(_signed_after_mechanism_check(origin, netuid, logic.MAIN), netuid, logic.MAIN, commit_hash)

@pallet.call(115, weight=W.COMMIT_MECHANISM_WEIGHTS, pays=Pays.NO)
def commit_mechanism_weights(origin, netuid: NetUid, mecid: MechId, commit_hash: _H256) -> None:
    """---- Used to commit a hash of your weight values to later be revealed for mechanisms.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The signature of the committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `mecid` (`u8`):
      - The u8 mechanism identifier.

    * `commit_hash` (`H256`):
      - The hash representing the committed weights.

    # Raises:
    * `CommitRevealDisabled`:
      - Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`:
      - Attempting to commit when the user has more than the allowed limit of unrevealed commits.

    """
    logic.do_commit_weights(_signed_after_mechanism_check(origin, netuid, mecid), netuid, mecid, commit_hash)

@pallet.call(100, weight=W.BATCH_COMMIT_WEIGHTS, pays=Pays.NO)
def batch_commit_weights(origin, netuids: _NETUIDS, commit_hashes: _HASHES) -> None:
    """--- Allows a hotkey to commit weight hashes for multiple netuids as a batch.

    # Args:
    * `origin`: (<T as frame_system::Config>Origin):
        - The caller, a hotkey who wishes to set their weights.

    * `netuids` (Vec<Compact<u16>>):
    \t- The network uids we are setting these weights on.

    * `commit_hashes` (Vec<H256>):
    \t- The commit hashes to commit.

    # Event:
    * WeightsSet;
    \t- On successfully setting the weights on chain.
    * BatchWeightsCompleted;
    \t- On success of the batch.
    * BatchCompletedWithErrors;
    \t- On failure of any of the weights in the batch.
    * BatchWeightItemFailed;
    \t- On failure for each failed item in the batch.

    """
    logic.do_batch_commit_weights(ensure_signed(origin), netuids, commit_hashes)

@pallet.call(97, weight=W.REVEAL_WEIGHTS, pays=Pays.NO)
def reveal_weights(origin, netuid: NetUid, uids: _VEC_U16, values: _VEC_U16, salt: _VEC_U16, version_key: u64) -> None:
    """---- Used to reveal the weights for a previously committed hash.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The signature of the revealing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `uids` (`Vec<u16>`):
      - The uids for the weights being revealed.

    * `values` (`Vec<u16>`):
      - The values of the weights being revealed.

    * `salt` (`Vec<u16>`):
      - The salt used to generate the commit hash.

    * `version_key` (`u64`):
      - The network version key.

    # Raises:
    * `CommitRevealDisabled`:
      - Attempting to reveal weights when the commit-reveal mechanism is disabled.

    * `NoWeightsCommitFound`:
      - Attempting to reveal weights without an existing commit.

    * `ExpiredWeightCommit`:
      - Attempting to reveal a weight commit that has expired.

    * `RevealTooEarly`:
      - Attempting to reveal weights outside the valid reveal period.

    * `InvalidRevealCommitHashNotMatch`:
      - The revealed hash does not match any committed hash.

    """
    logic.do_reveal_weights(ensure_signed(origin), netuid, logic.MAIN, uids, values, salt, version_key)

@pallet.call(116, weight=W.REVEAL_MECHANISM_WEIGHTS, pays=Pays.NO)
def reveal_mechanism_weights(origin, netuid: NetUid, mecid: MechId, uids: _VEC_U16, values: _VEC_U16, salt: _VEC_U16, version_key: u64) -> None:
    """---- Used to reveal the weights for a previously committed hash for mechanisms.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The signature of the revealing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `mecid` (`u8`):
      - The u8 mechanism identifier.

    * `uids` (`Vec<u16>`):
      - The uids for the weights being revealed.

    * `values` (`Vec<u16>`):
      - The values of the weights being revealed.

    * `salt` (`Vec<u16>`):
      - The salt used to generate the commit hash.

    * `version_key` (`u64`):
      - The network version key.

    # Raises:
    * `CommitRevealDisabled`:
      - Attempting to reveal weights when the commit-reveal mechanism is disabled.

    * `NoWeightsCommitFound`:
      - Attempting to reveal weights without an existing commit.

    * `ExpiredWeightCommit`:
      - Attempting to reveal a weight commit that has expired.

    * `RevealTooEarly`:
      - Attempting to reveal weights outside the valid reveal period.

    * `InvalidRevealCommitHashNotMatch`:
      - The revealed hash does not match any committed hash.

    """
    logic.do_reveal_weights(ensure_signed(origin), netuid, mecid, uids, values, salt, version_key)

@pallet.call(117, weight=W.COMMIT_CRV3_MECHANISM_WEIGHTS, pays=Pays.NO)
def commit_crv3_mechanism_weights(origin, netuid: NetUid, mecid: MechId, commit: _COMMIT, reveal_round: u64) -> None:
    """---- Used to commit encrypted commit-reveal v3 weight values to later be revealed.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `commit` (`Vec<u8>`):
      - The encrypted compressed commit.
        The steps for this are:
        1. Instantiate [`WeightsTlockPayload`]
        2. Serialize it using the `parity_scale_codec::Encode` trait
        3. Encrypt it following the steps (here)[https://github.com/ideal-lab5/tle/blob/f8e6019f0fb02c380ebfa6b30efb61786dede07b/timelock/src/tlock.rs#L283-L336]
           to produce a [`TLECiphertext<TinyBLS381>`] type.
        4. Serialize and compress using the `ark-serialize` `CanonicalSerialize` trait.

    * reveal_round (`u64`):
       - The drand reveal round which will be avaliable during epoch `n+1` from the current
         epoch.

    # Raises:
    * `CommitRevealV3Disabled`:
      - Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`:
      - Attempting to commit when the user has more than the allowed limit of unrevealed commits.

    ---- Used to commit encrypted commit-reveal v3 weight values to later be revealed for mechanisms.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `mecid` (`u8`):
      - The u8 mechanism identifier.

    * `commit` (`Vec<u8>`):
      - The encrypted compressed commit.
        The steps for this are:
        1. Instantiate [`WeightsTlockPayload`]
        2. Serialize it using the `parity_scale_codec::Encode` trait
        3. Encrypt it following the steps (here)[https://github.com/ideal-lab5/tle/blob/f8e6019f0fb02c380ebfa6b30efb61786dede07b/timelock/src/tlock.rs#L283-L336]
           to produce a [`TLECiphertext<TinyBLS381>`] type.
        4. Serialize and compress using the `ark-serialize` `CanonicalSerialize` trait.

    * reveal_round (`u64`):
       - The drand reveal round which will be avaliable during epoch `n+1` from the current
         epoch.

    # Raises:
    * `CommitRevealV3Disabled`:
      - Attempting to commit when the commit-reveal mechanism is disabled.

    * `TooManyUnrevealedCommits`:
      - Attempting to commit when the user has more than the allowed limit of unrevealed commits.

    """
    logic.do_commit_timelocked_weights(_signed_after_mechanism_check(origin, netuid, mecid), netuid, mecid,
                                       commit, reveal_round, _CRV3_VERSION)

@pallet.call(98, weight=W.BATCH_REVEAL_WEIGHTS, pays=Pays.NO)
def batch_reveal_weights(origin, netuid: NetUid, uids_list: _VEC_VEC_U16, values_list: _VEC_VEC_U16, salts_list: _VEC_VEC_U16, version_keys: _VEC_U64) -> None:
    """---- The implementation for batch revealing committed weights.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The signature of the revealing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `uids_list` (`Vec<Vec<u16>>`):
      - A list of uids for each set of weights being revealed.

    * `values_list` (`Vec<Vec<u16>>`):
      - A list of values for each set of weights being revealed.

    * `salts_list` (`Vec<Vec<u16>>`):
      - A list of salts used to generate the commit hashes.

    * `version_keys` (`Vec<u64>`):
      - A list of network version keys.

    # Raises:
    * `CommitRevealDisabled`:
      - Attempting to reveal weights when the commit-reveal mechanism is disabled.

    * `NoWeightsCommitFound`:
      - Attempting to reveal weights without an existing commit.

    * `ExpiredWeightCommit`:
      - Attempting to reveal a weight commit that has expired.

    * `RevealTooEarly`:
      - Attempting to reveal weights outside the valid reveal period.

    * `InvalidRevealCommitHashNotMatch`:
      - The revealed hash does not match any committed hash.

    * `InvalidInputLengths`:
      - The input vectors are of mismatched lengths.
    """
    logic.do_batch_reveal_weights(ensure_signed(origin), netuid, uids_list, values_list, salts_list, version_keys)

@pallet.call(113, weight=W.COMMIT_TIMELOCKED_WEIGHTS, pays=Pays.NO)
def commit_timelocked_weights(origin, netuid: NetUid, commit: _COMMIT, reveal_round: u64, commit_reveal_version: u16) -> None:
    """---- Used to commit timelock encrypted commit-reveal weight values to later be revealed.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `commit` (`Vec<u8>`):
      - The encrypted compressed commit.
        The steps for this are:
        1. Instantiate [`WeightsTlockPayload`]
        2. Serialize it using the `parity_scale_codec::Encode` trait
        3. Encrypt it following the steps (here)[https://github.com/ideal-lab5/tle/blob/f8e6019f0fb02c380ebfa6b30efb61786dede07b/timelock/src/tlock.rs#L283-L336]
           to produce a [`TLECiphertext<TinyBLS381>`] type.
        4. Serialize and compress using the `ark-serialize` `CanonicalSerialize` trait.

    * reveal_round (`u64`):
       - The drand reveal round which will be avaliable during epoch `n+1` from the current
         epoch.

    * commit_reveal_version (`u16`):
        - The client (bittensor-drand) version
    """
    logic.do_commit_timelocked_weights(_signed_after_mechanism_check(origin, netuid, logic.MAIN), netuid,
                                       logic.MAIN, commit, reveal_round, commit_reveal_version)

@pallet.call(118, weight=W.COMMIT_TIMELOCKED_MECHANISM_WEIGHTS, pays=Pays.NO)
def commit_timelocked_mechanism_weights(origin, netuid: NetUid, mecid: MechId, commit: _COMMIT, reveal_round: u64, commit_reveal_version: u16) -> None:
    """---- Used to commit timelock encrypted commit-reveal weight values to later be revealed for
    a mechanism.

    # Args:
    * `origin`: (`<T as frame_system::Config>::RuntimeOrigin`):
      - The committing hotkey.

    * `netuid` (`u16`):
      - The u16 network identifier.

    * `mecid` (`u8`):
      - The u8 mechanism identifier.

    * `commit` (`Vec<u8>`):
      - The encrypted compressed commit.
        The steps for this are:
        1. Instantiate [`WeightsTlockPayload`]
        2. Serialize it using the `parity_scale_codec::Encode` trait
        3. Encrypt it following the steps (here)[https://github.com/ideal-lab5/tle/blob/f8e6019f0fb02c380ebfa6b30efb61786dede07b/timelock/src/tlock.rs#L283-L336]
           to produce a [`TLECiphertext<TinyBLS381>`] type.
        4. Serialize and compress using the `ark-serialize` `CanonicalSerialize` trait.

    * reveal_round (`u64`):
       - The drand reveal round which will be avaliable during epoch `n+1` from the current
         epoch.

    * commit_reveal_version (`u16`):
        - The client (bittensor-drand) version
    """
    logic.do_commit_timelocked_weights(_signed_after_mechanism_check(origin, netuid, mecid), netuid, mecid,
                                       commit, reveal_round, commit_reveal_version)


def _signed_after_mechanism_check(origin, netuid: int, mecid: int) -> bytes:
    """Commits check the mechanism exists before the signature, as Rust orders them."""
    ensure_mechanism_exists(netuid, mecid)
    return ensure_signed(origin)
