"""A fixture web server on loopback (ports 8190-8199) serving news pages and feeds; the
fetcher reaches it only because these tests admit 127.0.0.0/8 in NETRAL_FETCH_ALLOWED_NETWORKS."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

PORTS = range(8190, 8200)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class FixtureServer:
    base: str
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]

    def add(self, path: str, body: str | bytes = b"", **kwargs: Any) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, **kwargs)
        return self.base + path


def _handler(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = server.routes.get(self.path)
            if route is None:
                self.send_response(404)
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def fixture_server(settings: Any) -> Iterator[FixtureServer]:
    settings.NETRAL_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    last_error: OSError | None = None
    for port in PORTS:
        state = FixtureServer(f"http://127.0.0.1:{port}", {}, [])
        try:
            httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
        except OSError as exc:
            last_error = exc
            continue
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield state
        finally:
            httpd.shutdown()
            httpd.server_close()
        return
    raise RuntimeError(f"no free port in 8190-8199: {last_error}")


ARTICLE_TITLE = "Bawaslu Kutim Gelar Deklarasi Netralitas Kepala Desa se-Kecamatan Muara Wahau"
ARTICLE_TEXT = """
<p>SANGATTA - Badan Pengawas Pemilihan Umum (Bawaslu) Kabupaten Kutai Timur menggelar sosialisasi
dan deklarasi netralitas kepala desa se-Kecamatan Muara Wahau pada Sabtu (14/9) di Balai Desa
Wanasari, Kecamatan Muara Wahau, menjelang Pilkada 2024.</p>
<p>Sebanyak 10 kepala desa dan 35 perangkat desa hadir dan menandatangani ikrar. Camat Muara Wahau
Budi Santoso membuka kegiatan, didampingi Ketua Bawaslu Kutai Timur Andi Rahman dan perwakilan
Polsek serta Koramil setempat.</p>
<p>Dalam ikrar tersebut para kepala desa menyatakan:</p>
<ol><li>Menjaga netralitas dalam Pilkada 2024.</li><li>Menolak segala bentuk politik uang.</li>
<li>Tidak terlibat dalam kampanye pasangan calon mana pun.</li></ol>
<p>Menurut Andi Rahman, kegiatan ini merupakan upaya pencegahan agar para kepala desa dan perangkat
desa tidak dilibatkan oleh tim pemenangan. Ia juga mengajak masyarakat untuk melaporkan kepada
Panwaslu Kecamatan apabila menemukan dugaan pelanggaran selama tahapan kampanye berlangsung.</p>
"""


def article_html(title: str = ARTICLE_TITLE, body: str = ARTICLE_TEXT, date: str = "2024-09-16",
                 canonical: str = "") -> str:  # fmt: skip
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{date}T08:00:00+08:00">{link}'
        f"</head><body><header><nav><a href='/'>Beranda</a></nav></header>"
        f"<article><h1>{title}</h1><time datetime='{date}'>{date}</time>{body}</article>"
        f"<footer>Hak cipta redaksi contoh</footer></body></html>"
    )
