"""Command line: `pysubtensor [--dev] …` and its subcommands (Substrate's flags where they apply).

This module only parses arguments and wires the pieces; every failure a user can cause
ends in one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from node.chain_spec import ChainSpecError, load_chain_spec

__all__ = ["main"]


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def _export_genesis_head(args: argparse.Namespace) -> None:
    from node.genesis import genesis_header

    spec = load_chain_spec(args.chain)
    if spec.raw is None:
        raise CliError(f"{args.chain}: export-genesis-head needs a raw chain spec "
                       "(genesis.raw); build one with `build-spec --raw`")
    header = genesis_header(spec.raw)
    out = "0x" + header.encode().hex()
    if args.output:
        with open(args.output, "w") as f:
            f.write(out)
    else:
        print(out)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pysubtensor",
        description="A Bittensor (subtensor) chain node in Python.",
    )
    parser.add_argument("--dev", action="store_true", help="run a development chain (Alice authors, sudo)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("export-genesis-head",
                       help="print the SCALE-encoded genesis header of a raw chain spec as 0x-hex")
    p.add_argument("--chain", required=True, help="path to a raw chain spec JSON")
    p.add_argument("output", nargs="?", help="write to this file instead of stdout")
    p.set_defaults(handler=_export_genesis_head)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(sys.stderr)
        print("pysubtensor: error: the block-producing node lands with the node issue; "
              "use a subcommand (see --help)", file=sys.stderr)
        return 2
    try:
        handler(args)
    except (CliError, ChainSpecError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
