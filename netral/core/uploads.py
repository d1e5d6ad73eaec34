"""What a file really is, decided by its first bytes (magic numbers), never by its name.

Shared by every upload in Netral (evidence, event documents, signed sheets); each area
decides which of these types it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

HEAD_BYTES = 32  # enough for every signature below


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The content type told by the first bytes, or None when it is none we accept."""
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", ".pdf")
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", ".png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", ".gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", ".webp")
    if head[4:8] == b"ftyp":  # ISO base media: HEIC photos, MP4/MOV/3GP video
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return Sniffed("image/heic", ".heic")
        if brand == b"qt  ":
            return Sniffed("video/quicktime", ".mov")
        if brand.startswith(b"3g"):
            return Sniffed("video/3gpp", ".3gp")
        return Sniffed("video/mp4", ".mp4")
    if head.startswith(b"\x1aE\xdf\xa3"):
        return Sniffed("video/webm", ".webm")
    return None
