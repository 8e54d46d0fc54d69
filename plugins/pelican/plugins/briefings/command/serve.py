"""``briefings serve``: the built site over HTTP on this machine, until Ctrl-C."""

from __future__ import annotations

import functools
import http.server
import sys
from pathlib import Path


def serve(output: str, bind: str, port: int) -> int:
    folder = Path(output)
    if not (folder / "index.html").is_file() and not any(folder.glob("*.html")):
        print(
            f"briefings: {folder}: no built site here: run `briefings build` first (or give --output)", file=sys.stderr
        )
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    try:
        server = http.server.ThreadingHTTPServer((bind, port), handler)
    except OSError as error:
        print(f"briefings: cannot serve on {bind}:{port}: {error.strerror}: try another --port", file=sys.stderr)
        return 2
    print(f"briefings: serving {folder} at http://{bind}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
