"""`python -m pysubtensor`: the node's command line, as the `pysubtensor` script."""

import sys

from pysubtensor.node.cli import main

sys.exit(main())
