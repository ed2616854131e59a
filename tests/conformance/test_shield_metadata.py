"""MevShield's declarations against what bittensor 11.3.0 was generated from.

MevShield follows subtensor main, not spec 381 (see `FOLLOWS_MAIN` in tests/support/metadata.py),
and no real metadata blob of that runtime is among our vectors. bittensor 11.3.0 ships a layer
its codegen wrote from the real runtime's metadata (`bittensor/_generated/`: calls with their
arguments and docs, errors by (pallet, index) with docs, storage items in metadata order with
their value types); read from the client's own venv (`$PYSUBTENSOR_BT11_VENV`, as the
integration tests), it is the oracle here. Events are not in that layer: they are checked
against subtensor main's source in tests/unit/test_shield.py's scenarios.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from pysubtensor.runtime.metadata import metadata_v15
from tests.integration.conftest import client_venv_python

PALLET = "MevShield"


@cache
def generated(module: str) -> ast.Module:
    python = client_venv_python("PYSUBTENSOR_BT11_VENV", ".venv-bt11", "tests/clients/bt11/requirements.txt")
    venv = python.parent.parent
    (path,) = venv.glob(f"lib/python3*/site-packages/bittensor/_generated/{module}.py")
    return ast.parse(Path(path).read_text())


def generated_class(module: str) -> ast.ClassDef:
    return next(n for n in generated(module).body if isinstance(n, ast.ClassDef) and n.name == PALLET)


def ours():
    md = metadata_v15()
    return md, next(p for p in md.pallets if p.name == PALLET)


def flat(docs) -> str:
    """The codegen's docstring: the doc lines stripped and joined by one space."""
    return " ".join(line.strip() for line in docs)


def test_index_is_30():
    assert ours()[1].index == 30


def test_calls_match_bittensor_11_generated_layer():
    theirs = {}
    for fn in generated_class("calls").body:
        if isinstance(fn, ast.FunctionDef):
            call = next(n for n in ast.walk(fn) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Call")
            params = [k.value for k in call.args[2].keys]
            theirs[call.args[1].value] = (params, ast.get_docstring(fn, clean=False))
    md, pallet = ours()
    mine = {v.name: ([f.name for f in v.fields], flat(v.docs)) for v in md.types.type(pallet.calls.ty).type_def.variants}
    assert mine == theirs


def test_call_indices_are_mains():
    md, pallet = ours()
    indices = {v.name: v.index for v in md.types.type(pallet.calls.ty).type_def.variants}
    assert indices == {"announce_next_key": 0, "submit_encrypted": 1, "store_encrypted": 2,
                       "set_max_pending_extrinsics_number": 3, "set_on_initialize_weight": 4,
                       "set_stored_extrinsic_lifetime": 5, "set_max_extrinsic_weight": 6}


def test_errors_match_bittensor_11_generated_layer():
    errors = next(n for n in generated("errors").body if isinstance(n, ast.AnnAssign) and n.target.id == "ERRORS")
    theirs = {}
    for key, value in zip(errors.value.keys, errors.value.values, strict=True):
        pallet_index, index = (k.value for k in key.elts)
        pallet_name, name, docs = (a.value for a in value.args)
        if pallet_name == PALLET:
            assert pallet_index == 30
            theirs[index] = (name, docs)
    md, pallet = ours()
    mine = {v.index: (v.name, flat(v.docs)) for v in md.types.type(pallet.error.ty).type_def.variants}
    assert mine == theirs


def test_storage_matches_bittensor_11_generated_layer():
    theirs = [(a.value.args[1].value, a.value.args[2].value) for a in generated_class("storage").body
              if isinstance(a, ast.Assign)]
    md, pallet = ours()

    def type_ident(type_id: int) -> str:
        ty = md.types.type(type_id)
        return ty.path[-1] if ty.path else str(ty.type_def.primitive)

    mine = [(e.name, type_ident(e.ty.value)) for e in pallet.storage.entries]
    assert mine == theirs
