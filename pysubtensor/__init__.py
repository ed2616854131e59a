"""pysubtensor: a Bittensor chain node (subtensor) in Python.

The installed package holds the repository's top-level folders as subpackages
(`pysubtensor.primitives`, `.pallets`, `.runtime`, `.node`, `.rpc`, `.chainspec`; see
setup.py), so the project adds one import package to an environment and nothing else.
"""

__version__ = "0.1.0"
