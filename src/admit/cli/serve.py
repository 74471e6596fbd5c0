"""`admit serve`: the HTTP API and the web app (what `make run` starts), on 127.0.0.1:8000.

Why its own logging set-up: uvicorn's access log writes the full request line, query string
included, and the "where can I go" page carries nationalities and document dates in its query.
The service logs its own access lines instead (method, path, status: admit.api.guard) and
uvicorn's are turned off. Bodies are never logged.
"""

from __future__ import annotations

import os
import socket
from typing import Annotated, Any

import typer

from admit.cli.app import app, fail, reading_path

RULES_ENV = "ADMIT_RULES"

LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "admit": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def create_app_from_env() -> Any:
    """The factory uvicorn calls in each worker process (`--workers N`), on the directory the
    parent validated and put in ADMIT_RULES."""
    from admit.api import create_app

    return create_app(os.environ.get(RULES_ENV) or None)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    rules_path: Annotated[str | None, typer.Option(
        "--rules", envvar=RULES_ENV,
        help="A rule data directory (default: the shipped data set).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (each loads the rules).")] = 1,
    access_log: Annotated[bool, typer.Option(
        help="Log method, path and status of each request.")] = True,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web app."""
    import uvicorn

    from admit.errors import RuleDataError

    if not 1 <= port <= 65535:
        fail(f"--port: must be between 1 and 65535 (got {port})")
    if workers < 1:
        fail(f"--workers: must be at least 1 (got {workers})")
    _check_address(host, port)
    config = {**LOG_CONFIG, "loggers": {**LOG_CONFIG["loggers"]}}
    if not access_log:
        config["loggers"]["admit.access"] = {"level": "WARNING"}
    from admit.api import create_app
    from admit.api.headlimit import SERVER_OPTIONS  # a request head over 16 KiB is a 431

    try:
        with reading_path("--rules", rules_path):
            application = create_app(rules_path)  # fails here, once, if the data is broken
    except RuleDataError as exc:
        fail(f"rule data: {exc}")
    served = application.state.rules  # what every worker must serve: this resolved directory
    typer.echo(f"admit: serving rule data {served.path} (data version {served.data_version}) "
               f"on http://{host}:{port}/ (API docs at /docs)", err=True)
    if workers == 1:
        uvicorn.run(application, host=host, port=port, log_config=config, access_log=False,
                    server_header=False, **SERVER_OPTIONS)
    else:
        from uvicorn.supervisors import Multiprocess

        os.environ[RULES_ENV] = str(served.path)  # the workers build their own app from it
        settings = uvicorn.Config("admit.cli.serve:create_app_from_env", factory=True,
                                  host=host, port=port, workers=workers, log_config=config,
                                  access_log=False, server_header=False, **SERVER_OPTIONS)
        Multiprocess(settings, sockets=[_listening_socket(host, port)]).run()


def _check_address(host: str, port: int) -> None:
    """Exit 2 unless this machine can listen on `host` and `port`. uvicorn finds out only once
    started, then logs the error and exits 3 (an unknown host) or 1 (a port in use)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)[0]
    except (OSError, ValueError):  # ValueError: a name IDNA cannot encode (a label too long)
        fail(f"--host: not a host name or address to listen on (got {host!r})")
    try:
        with socket.socket(family, kind, proto) as probe:  # bound, never listening
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        fail(f"--host/--port: cannot listen on {host!r} port {port}: {exc.strerror or exc}")


def _listening_socket(host: str, port: int) -> socket.socket:
    """The socket the workers share. uvicorn's own is made with protocol 0, so asyncio does
    not set TCP_NODELAY on the connections it accepts, and each answer (written as head, then
    body) waits out the client's delayed ACK: 40 ms. Made here with the TCP protocol number,
    and TCP_NODELAY on the listener (Linux passes it on to accepted connections)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock
