"""`python -m pysubtensor` and the `pysubtensor` script: the node's command line.

The cyclic garbage collector is paused before the node's modules are imported (see
pysubtensor.node.memory); the service resumes it when the node starts.
"""

import sys

from pysubtensor.node.memory import pause_collection_for_startup


def main() -> int:
    pause_collection_for_startup()
    from pysubtensor.node.cli import main as cli_main  # the runtime and the servers: imported with it paused

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
