"""A public-post imitation served on loopback (tests, the benchmark, the demo).

Pages: /post/<n> and /<handle>/post/<n> (a post with an image, a stylesheet and a script
that adds the comments, as the platforms do), /redirect?to=<url> (302), /gone (404),
/slow (answers late), /big, /many, /download, /private-image, /profile/<handle>. The image
comes from a second host name of the same server (localhost besides 127.0.0.1), so a capture
loads from two hosts. Loopback only; admitted by NETRAL_FETCH_ALLOWED_NETWORKS where a test,
the benchmark or the demo says so.
"""

from __future__ import annotations

import base64
import html
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# A 64x64 PNG, drawn once (red and blue halves): the post's photo.
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAIAAAAlC+aJAAAAaUlEQVR4nO3PQRGAMBDAwIKQykIkSpBVFcd+sgIyk+vbe0161jvav0frP2hA"
    "a0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAa0BrQGtAOyPxAoQatBwaAAAAAElFTkSuQmCC"
)

POSTS = {
    1: ("budi.santoso.kades", "Ayo dukung Paslon 2 Harapan Baru! Coblos nomor 2 pada hari H."),
    2: ("siti.camat", "Foto bersama calon bupati Ahmad Yani dan tim Partai Maju Bersama."),
    3: ("warga.biasa", "Hari ini gotong royong membersihkan saluran air di desa."),
    4: ("budi.santoso.kades", "Terima kasih atas dukungannya, salam dua jari!"),
}

_CSS = (
    b"body{font-family:sans-serif;margin:0}"
    b".post{max-width:560px;margin:1rem auto;padding:1rem;border:1px solid #ccc}"
    b".post img{width:100%;background:url(/img/bg.png)}.comments li{color:#333}"
)

_JS = b"""document.addEventListener('DOMContentLoaded', function () {
  var ul = document.getElementById('comments');
  ['Setuju!', 'Mantap pak kades', 'Nomor 2 menang'].forEach(function (t) {
    var li = document.createElement('li'); li.textContent = t; ul.appendChild(li);
  });
  document.getElementById('likes').textContent = '128 suka';
});"""


def post_html(n: int, *, cdn_host: str) -> bytes:
    handle, text = POSTS.get(n, POSTS[1])
    return f"""<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@{handle} · Postingan {n}</title>
<link rel="stylesheet" href="/static/post.css"><script src="/static/post.js"></script></head>
<body><article class="post"><header><a href="/profile/{handle}">@{handle}</a></header>
<p class="text">{html.escape(text)}</p>
<img src="http://{cdn_host}/img/photo-{n}.png" alt="foto">
<p id="likes">0 suka</p><ul class="comments" id="comments"></ul></article></body></html>
""".encode()


# /post/1, /budi.santoso.kades/post/1 (the handle in the path, as the platforms do)
_POST_PATH = re.compile(r"^/(?:[\w.]+/)?post/(?P<n>\d+)/?$")


class _Handler(BaseHTTPRequestHandler):
    server_version = "FixtureSocial/1.0"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        host = self.headers.get("Host", "127.0.0.1")
        port = host.rsplit(":", 1)[-1]
        self.server.hits.append(path)  # type: ignore[attr-defined]
        post = _POST_PATH.match(path)
        if post:
            n = int(post.group("n"))
            self._send(200, post_html(n, cdn_host=f"localhost:{port}"), "text/html; charset=utf-8")
        elif path.startswith("/profile/"):
            handle = html.escape(path.rsplit("/", 1)[1])
            body = f"<!doctype html><title>@{handle}</title><h1>@{handle}</h1>".encode()
            self._send(200, body, "text/html; charset=utf-8")
        elif path == "/static/post.css":
            self._send(200, _CSS, "text/css")
        elif path == "/static/post.js":
            self._send(200, _JS, "application/javascript")
        elif path.startswith("/img/"):
            self._send(200, _PNG, "image/png")
        elif path == "/redirect":
            self._send(302, b"", "text/plain", Location=query.get("to", ["/post/1"])[0])
        elif path == "/slow":
            time.sleep(float(query.get("s", ["30"])[0]))
            self._send(200, b"<p>late</p>", "text/html")
        elif path == "/download":
            self._send(
                200,
                b"%PDF-1.4 fake",
                "application/pdf",
                Content_Disposition='attachment; filename="x.pdf"',
            )
        elif path == "/big":
            self._send(200, b"x" * (int(query.get("mb", ["30"])[0]) << 20), "text/plain")
        elif path == "/many":
            imgs = "".join(
                f'<img src="/img/{i}.png">' for i in range(int(query.get("n", ["300"])[0]))
            )
            self._send(200, f"<!doctype html><p>many</p>{imgs}".encode(), "text/html")
        elif path == "/private-image":
            target = query.get("to", ["http://10.0.0.1/secret.png"])[0]
            body = f'<!doctype html><p>pic</p><img src="{html.escape(target)}">'.encode()
            self._send(200, body, "text/html")
        else:
            self._send(404, b"<!doctype html><h1>Konten tidak tersedia</h1>", "text/html")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # a client that gave up (the capture's time cap on /slow) is expected: no traceback
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FixtureSite:
    """A running fixture server: `url` is http://127.0.0.1:<port>."""

    def __init__(self, port: int = 0) -> None:
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.hits = []  # type: ignore[attr-defined]
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def hits(self) -> list[str]:
        return self.httpd.hits  # type: ignore[attr-defined, no-any-return]

    def __enter__(self) -> FixtureSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
