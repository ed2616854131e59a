"""How pallets depend on the runtime and on each other: a `Config` the runtime binds.

The behaviour each binding carries is tested where it acts (Aura's slot check through
Timestamp in test_executive, fees to the author in test_transaction_payment, …); here: the
binding itself, and that pallet packages import each other one way only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import pysubtensor.pallets.balances as balances
import pysubtensor.pallets.system as system
from pysubtensor.pallets import aura, timestamp
from pysubtensor.pallets.support.config import PalletConfig
from pysubtensor.pallets.support.pallet import Pallet
from pysubtensor.runtime import construct
from tests.support.frame import frame_env

PALLETS_DIR = Path(__file__).resolve().parents[2] / "pallets"


def _package_imports() -> set[tuple[str, str]]:
    """(importer, imported) pallet packages, from every import statement under pallets/
    (module level or inside functions)."""
    edges = set()
    for path in PALLETS_DIR.rglob("*.py"):
        importer = path.relative_to(PALLETS_DIR).parts[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "pysubtensor.pallets":
                names = [f"pysubtensor.pallets.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["pysubtensor", "pallets"] and len(parts) > 2 and parts[2] != importer:
                    edges.add((importer, parts[2]))
    return edges


def test_pallet_packages_import_each_other_one_way():
    edges = _package_imports()
    assert ("aura", "timestamp") in edges  # Aura's Config has Timestamp's as a supertrait, as in Rust
    assert [(a, b) for a, b in edges if (b, a) in edges] == []
    # What goes the other way is bound by the runtime, not imported:
    assert ("timestamp", "aura") not in edges  # OnTimestampSet = Aura
    assert ("balances", "system") not in edges  # AccountStore = System


def test_the_runtime_binds_every_pallet_it_composes():
    assert all(p.is_bound for p in construct.PALLETS)
    assert timestamp.pallet.config.on_timestamp_set is aura.on_timestamp_set
    assert balances.pallet.config.account_store is system


def test_a_pallet_used_before_a_runtime_binds_it_says_so():
    lonely = Pallet("Lonely", 99, crate="pallet_lonely")
    with pytest.raises(RuntimeError, match="Lonely is not bound to a runtime"):
        lonely.deposit_event(object())


def test_bind_checks_the_config_class_and_bound_restores():
    runtime_binding = timestamp.pallet.config
    with pytest.raises(TypeError, match="bind a Config"):
        timestamp.pallet.bind(PalletConfig(deposit_event=lambda pallet, event: None))
    assert timestamp.pallet.config is runtime_binding
    seen = []
    with timestamp.pallet.bound(on_timestamp_set=seen.append) as config:
        assert timestamp.pallet.config is config and config.deposit_event is runtime_binding.deposit_event
    assert timestamp.pallet.config is runtime_binding


def test_a_pallet_declares_its_own_config():
    pallet = Pallet("Counter", 98, crate="pallet_counter")

    @pallet.config_type
    @dataclass(frozen=True, kw_only=True)
    class Config(PalletConfig):
        step: int = 1

    assert pallet.config_class is Config
    with pytest.raises(TypeError, match="derives from PalletConfig"):
        pallet.config_type(dict)
    with frame_env(pallet):  # an unbound pallet gets its Config's defaults, events to System
        assert pallet.config.step == 1
        with pallet.bound(step=5):
            assert pallet.config.step == 5
