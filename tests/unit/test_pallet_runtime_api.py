"""A runtime API declared in a pallet reaches every place the runtime lists its APIs: the
V15 metadata, `Core_version` and the `state_call` dispatcher. A test pallet declares
`TestApi` and a test runtime composes it after the real ones; the metadata bytes are read
back with scalecodec (not our decoder), the API id is computed with hashlib's blake2b."""

from __future__ import annotations

import hashlib

import pytest

import pysubtensor.pallets.system as system
import pysubtensor.runtime as runtime
from pysubtensor.pallets.support.pallet import Pallet, rust_docs
from pysubtensor.pallets.support.runtime_api import MethodNotFound, RuntimeApi
from pysubtensor.pallets.support.storage import StorageValue
from pysubtensor.primitives.metadata import decode_metadata, encode_metadata, metadata_bytes
from pysubtensor.primitives.metadata.registry import TypeDefPrimitive, TypeDefSequence
from pysubtensor.primitives.scale import U32, U64, Vec
from pysubtensor.runtime.api_traits import RUNTIME_APIS
from pysubtensor.runtime.apis import call, methods_of
from pysubtensor.runtime.metadata import metadata_v15
from pysubtensor.runtime.version import RUNTIME_VERSION, VERSION, version_with
from tests.support.frame import frame_env

# -- the test pallet and its API (what a pallet's api.py declares)

pallet = Pallet("ApiTest", 99, crate="pallet_api_test")
Counter = pallet.storage("Counter", StorageValue(U32, default=0))

TestApi = RuntimeApi("TestApi", 7, rust_docs("An API of the test pallet."))


@TestApi.method("scaled", (("factor", U32), ("extra", U64)), U64, "The counter times `factor`, plus `extra`.")
def scaled(factor: int, extra: int) -> int:
    return Counter.get() * factor + extra


@TestApi.method("counters", (), Vec(U32), "The counter, twice.")
def counters() -> list[int]:
    return [Counter.get(), Counter.get()]


#: The test runtime's composition: the real APIs, then the test pallet's.
APIS = (*RUNTIME_APIS, TestApi)
METHODS = methods_of(APIS)


@pytest.fixture
def env():
    with frame_env(pallet, version=version_with(APIS)) as ext:
        Counter.put(5)
        yield ext
    runtime.wire()


def test_pallet_api_is_in_v15_metadata_after_the_real_ones() -> None:
    # Encoded, then read back with the metadata codec that re-encodes the real chain's blobs
    # byte for byte (tests/conformance/test_metadata_codec.py).
    md = decode_metadata(metadata_bytes(encode_metadata(metadata_v15(APIS)))).metadata
    assert [a.name for a in md.apis] == [a.name for a in RUNTIME_APIS] + ["TestApi"]
    api = md.apis[-1]
    assert list(api.docs) == [" An API of the test pallet."]
    assert [m.name for m in api.methods] == ["scaled", "counters"]
    scaled_md = api.methods[0]
    assert [i.name for i in scaled_md.inputs] == ["factor", "extra"]
    assert list(scaled_md.docs) == [" The counter times `factor`, plus `extra`."]
    assert [md.types.type(i.ty).type_def for i in scaled_md.inputs] == [TypeDefPrimitive("u32"),
                                                                         TypeDefPrimitive("u64")]
    assert md.types.type(scaled_md.output).type_def == TypeDefPrimitive("u64")
    assert isinstance(md.types.type(api.methods[1].output).type_def, TypeDefSequence)
    # The runtime's own metadata does not list the test API.
    assert [a.name for a in metadata_v15().apis] == [a.name for a in RUNTIME_APIS]


def test_pallet_api_is_in_core_version(env) -> None:
    version = RUNTIME_VERSION.decode_all(call("Core_version", b"", env, METHODS))
    test_id = hashlib.blake2b(b"TestApi", digest_size=8).digest()
    assert version.apis[-1] == (test_id, 7)
    assert version.apis[:-1] == VERSION.apis
    assert len(version.apis) == len(RUNTIME_APIS) + 1


def test_pallet_api_answers_through_the_dispatcher(env) -> None:
    out = call("TestApi_scaled", U32.encode(3) + U64.encode(2**40), env, METHODS)
    assert U64.decode_all(out) == 5 * 3 + 2**40
    assert Vec(U32).decode_all(call("TestApi_counters", b"", env, METHODS)) == [5, 5]
    with pytest.raises(MethodNotFound):
        call("TestApi_scaled", U32.encode(3) + U64.encode(1), env)  # not composed in the real runtime


def test_every_composed_api_is_in_core_version_in_order() -> None:
    """The real runtime: one id per composed API, blake2-64 of its name, its declared version."""
    ids = [(hashlib.blake2b(a.name.encode(), digest_size=8).digest(), a.version) for a in RUNTIME_APIS]
    assert RUNTIME_VERSION.decode_all(call("Core_version", b"", None)).apis == ids


def test_a_declared_method_must_be_implemented() -> None:
    api = RuntimeApi("Half", 1, ())
    api.declare("f", (), U32)
    assert api.unimplemented() == ["f"]
    api.implements("f")(lambda: 1)
    with pytest.raises(TypeError, match="implemented twice"):
        api.implements("f")(lambda: 2)
    with pytest.raises(TypeError, match="no method g"):
        api.implements("g")
    assert system.pallet.config.version is VERSION
