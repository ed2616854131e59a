"""`python -m pysubtensor` and the `pysubtensor` script: the node's command line.

The cyclic garbage collector is paused before the node's modules are imported (see
pysubtensor.node.memory); the service resumes it when the node starts.

When the node will run a pool validation worker, the runtime is imported first and the
process forks the worker's fork server (`start_fork_server` in
pysubtensor.node.validation_worker): workers forked from that small image share its pages with
the node instead of importing the runtime again.

aiohttp is imported next, with OpenSSL told to find CA certificates through its certificate
directory rather than the CA bundle file (see `import_aiohttp`).
"""

import os
import sys

from pysubtensor.node.memory import pause_collection_for_startup

#: OpenSSL's variable naming the CA bundle file (read when a context loads its default paths).
CA_FILE_VARIABLE = "SSL_CERT_FILE"


def import_aiohttp() -> None:
    """Import aiohttp without parsing the whole CA bundle twice.

    The package's `__init__` imports its HTTP client, whose connector builds two client TLS
    contexts at import (`ssl.create_default_context()` and an unverified one calling
    `set_default_verify_paths()`): each parses every certificate of the CA bundle, ~20 ms of
    the node's start-up apiece. The node only serves (aiohttp.web) and never opens a client
    connection, so while aiohttp is imported the bundle file is hidden from OpenSSL
    (`SSL_CERT_FILE=/dev/null`: no certificate in it); the contexts keep OpenSSL's certificate
    directory (`SSL_CERT_DIR` or the system's), whose hashed entries OpenSSL reads only when a
    verification needs them, so they still verify as before wherever the system's CA store is
    such a directory (Debian, Ubuntu, Alpine, …). The variable is restored right after.
    """
    if "aiohttp" in sys.modules:
        return
    previous = os.environ.get(CA_FILE_VARIABLE)
    os.environ[CA_FILE_VARIABLE] = os.devnull
    try:
        import aiohttp  # noqa: F401
    finally:
        if previous is None:
            del os.environ[CA_FILE_VARIABLE]
        else:
            os.environ[CA_FILE_VARIABLE] = previous


def main() -> int:
    pause_collection_for_startup()
    from pysubtensor.node.validation_worker import start_fork_server, wants_worker

    if wants_worker(sys.argv[1:]):
        start_fork_server()
    import_aiohttp()
    from pysubtensor.node.cli import main as cli_main  # the runtime and the servers: imported with it paused

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
