"""Maps the repository's top-level folders into the one import package `pysubtensor`.

The repository keeps primitives/, pallets/, runtime/, node/, rpc/ and chainspec/ at its top
level; installed (wheel or editable), they are `pysubtensor.primitives`, … so that nothing
else lands in site-packages. Everything else is declared in pyproject.toml.
"""

from setuptools import find_packages, setup

LAYERS = ("primitives", "pallets", "runtime", "node", "rpc", "chainspec")

setup(
    package_dir={"pysubtensor": "pysubtensor", **{f"pysubtensor.{layer}": layer for layer in LAYERS}},
    packages=["pysubtensor", *(f"pysubtensor.{p}" for p in find_packages(include=[f"{layer}*" for layer in LAYERS]))],
)
