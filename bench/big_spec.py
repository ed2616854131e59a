"""A large raw chain spec for start-up benchmarks: the dev chain plus N funded accounts.

    python bench/big_spec.py --accounts 1000000 --out /tmp/spec-1m.json
    python bench/startup_bench.py --chain /tmp/spec-1m.json --runs 1

The spec is what `pysubtensor build-spec --dev --raw` prints (a real raw spec: `:code`, every
pallet's genesis storage under `genesis.raw.top`, `childrenDefault`), with N more
`System.Account` entries (key `twox128("System") ++ twox128("Account") ++ blake2_128_concat(id)`,
the account ids `blake2_256("bench" ++ i as u32 LE)`, each an `AccountInfo` with 1 TAO free and
one provider, as the Balances genesis writes them) and `Balances.TotalIssuance` raised by
their sum. Keys are written in ascending order, as sc-chain-spec writes its storage maps
(BTreeMap); `--shuffle` writes them in a random order instead (older specs, from HashMap).
`--distinct` gives account i 1 TAO + i rao, so that no two `AccountInfo` values are equal (the
trie then has 1M value nodes to hash and store, not one).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

from pysubtensor.primitives.hashing import blake2_128, blake2_256, twox128

ACCOUNT_PREFIX = twox128(b"System") + twox128(b"Account")
TOTAL_ISSUANCE = twox128(b"Balances") + twox128(b"TotalIssuance")
TAO = 10**9
#: AccountInfo { nonce 0, consumers 0, providers 1, sufficients 0, data: AccountData { free 1 TAO,
#: reserved 0, frozen 0, flags: the new-logic flag (1 << 127) } }, SCALE.
ACCOUNT_INFO = ((0).to_bytes(4, "little") * 2 + (1).to_bytes(4, "little") + (0).to_bytes(4, "little")
                + TAO.to_bytes(8, "little") + bytes(16) + (1 << 127).to_bytes(16, "little"))


def dev_raw_spec() -> dict:
    out = subprocess.run([sys.executable, "-m", "pysubtensor", "build-spec", "--dev", "--raw"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def account_info(free: int) -> bytes:
    return ACCOUNT_INFO[:16] + free.to_bytes(8, "little") + ACCOUNT_INFO[24:]


def account_entries(n: int, distinct: bool = False) -> list[tuple[str, str]]:
    value = "0x" + ACCOUNT_INFO.hex()
    out = []
    for i in range(n):
        who = blake2_256(b"bench" + i.to_bytes(4, "little"))
        out.append(("0x" + (ACCOUNT_PREFIX + blake2_128(who) + who).hex(),
                    "0x" + account_info(TAO + i).hex() if distinct else value))
    return out


def write_spec(path: Path, doc: dict, entries: list[tuple[str, str]]) -> None:
    """The document with `genesis.raw.top` replaced by `entries`, written pair by pair."""
    marker = "__TOP__"
    skeleton = dict(doc, genesis={"raw": {"top": marker, "childrenDefault": doc["genesis"]["raw"]["childrenDefault"]}})
    head, tail = json.dumps(skeleton, indent=2).split(json.dumps(marker))
    with open(path, "w") as f:
        f.write(head + "{")
        for i, (key, value) in enumerate(entries):
            f.write(f'{"," if i else ""}\n        "{key}": "{value}"')
        f.write("\n      }" + tail + "\n")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--shuffle", action="store_true", help="keys in a random order (seeded)")
    ap.add_argument("--distinct", action="store_true", help="every account a different balance")
    args = ap.parse_args(argv)
    doc = dev_raw_spec()
    top: dict[str, str] = doc["genesis"]["raw"]["top"]
    issuance_key = "0x" + TOTAL_ISSUANCE.hex()
    added = args.accounts * TAO + (args.accounts * (args.accounts - 1) // 2 if args.distinct else 0)
    issuance = int.from_bytes(bytes.fromhex(top[issuance_key][2:]), "little") + added
    top[issuance_key] = "0x" + issuance.to_bytes(8, "little").hex()
    entries = sorted([*top.items(), *account_entries(args.accounts, args.distinct)])
    if args.shuffle:
        random.Random(13).shuffle(entries)
    write_spec(args.out, doc, entries)
    print(f"{args.out}: {len(entries):,} storage entries, {args.out.stat().st_size / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
