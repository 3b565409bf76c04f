"""``python -m zoom_sandbox --host 127.0.0.1 --port 8010``; ``--port 0`` picks a free port.

The first line on stdout is ``Zoom sandbox listening on http://HOST:PORT`` once connections are
accepted, so that a parent process can read the port it got.
"""

import argparse
import socket
import sys

import uvicorn

from .app import create_app
from .config import DEMO_APP, Config, ConfigError


def listening_socket(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # With proto left at 0, asyncio would not set TCP_NODELAY on accepted connections and every
    # keep-alive request would wait ~40 ms on delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m zoom_sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    parser.add_argument("--no-access-log", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    try:
        config = Config.from_env()
    except ConfigError as exc:
        parser.exit(2, f"zoom_sandbox: {exc}\n")
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as exc:
        parser.exit(1, f"zoom_sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}\n")
    app = create_app(config)
    host, port = sock.getsockname()[:2]
    base = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    print(f"Zoom sandbox listening on {base}", flush=True)
    if config.apps == (DEMO_APP,):
        print(
            "No ZOOM_SANDBOX_CLIENT_ID set: serving the demo app "
            f"(client_id {DEMO_APP.client_id}, secret {DEMO_APP.client_secret}, "
            f"redirect URIs {', '.join(DEMO_APP.redirect_uris)})",
            file=sys.stderr,
            flush=True,
        )
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            log_level=args.log_level,
            access_log=not args.no_access_log,
            lifespan="on",
            timeout_graceful_shutdown=3,
        )
    )
    server.run(sockets=[sock])


if __name__ == "__main__":
    main()
