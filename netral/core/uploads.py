"""What a file really is, decided by its first bytes (magic numbers), never by its name.

Shared by every upload in Netral (evidence, event documents, signed sheets); each area
decides which of these types it accepts.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import IO

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


# --- deep checks (issue 14, point 4) ------------------------------------------------------
#
# The first bytes say what a file claims to be; a polyglot claims one thing and is another
# too (a GIF that is also a JAR, a JPEG that is also an HTML page, a PDF that is also a ZIP).
# `verify_content` reads the whole file as the claimed type and refuses it unless it decodes
# (images), parses (PDFs) or has a valid container (videos: every ISO BMFF box accounted for
# up to the last byte; WebM's EBML header), and refuses any file that a ZIP reader would also
# open or whose head is markup a browser would render.

_MARKUP = (b"<html", b"<script", b"<!doctype", b"<svg", b"<?php", b"<iframe", b"<body")


def verify_content(fh: IO[bytes], content_type: str, *, deep: bool = True) -> bool:
    """True when the whole file is a valid `content_type` and nothing else we can tell.

    `deep=False` keeps the checks that read little whatever the file's size, for a request
    that hands the rest to the worker (issue 15 §1): markup and ZIP polyglots, an image's
    header and pixel count (not its pixels), a PDF's end marker (not its parse), a video's
    container walk (box headers only). `deep=True` (the default, and the worker's second
    pass) decodes every pixel and parses the PDF too."""
    fh.seek(0)
    head = fh.read(1024).lower()
    fh.seek(0)
    if any(marker in head for marker in _MARKUP):
        return False
    if zipfile.is_zipfile(fh):  # a ZIP/JAR/Office file hidden behind the claimed type
        fh.seek(0)
        return False
    fh.seek(0)
    try:
        if content_type in _PILLOW:
            return _image_decodes(fh) if deep else _image_header_sane(fh)
        if content_type == "application/pdf":
            return _pdf_parses(fh) if deep else _pdf_ends(fh)
        if content_type in ("video/mp4", "video/quicktime", "video/3gpp"):
            return _bmff_valid(fh, need=(b"moov", b"moof"))
        if content_type == "image/heic":
            return _bmff_valid(fh, need=(b"meta",))
        if content_type == "video/webm":
            return _ebml_valid(fh)
    except Exception:  # any failure to read the file as its claimed type is a refusal
        return False
    finally:
        fh.seek(0)
    return False


_PILLOW = {"image/jpeg", "image/png", "image/gif", "image/webp"}
MAX_IMAGE_PIXELS = 100_000_000  # a 100-megapixel photo; past it a decompression bomb


def _image_decodes(fh: IO[bytes]) -> bool:
    from PIL import Image, ImageFile

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with Image.open(fh) as image:
        image.verify()  # structure and checksums (PNG CRCs)
    fh.seek(0)
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import, and with it a
    # damaged image "decodes" (its errors are ignored): in a process that has rendered a
    # certificate (the worker, a web node) the check would pass corrupt files. Off while
    # checking, put back after.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(fh) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return False
            image.load()  # every pixel decodes
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    fh.seek(0)
    if fh.read(8) == b"\x89PNG\r\n\x1a\n":
        return _png_ends_at_iend(fh)
    return True


def _image_header_sane(fh: IO[bytes]) -> bool:
    """The cheap half of `_image_decodes`: the header opens, the size is within bounds, a
    PNG's chunk walk ends at IEND. Pixels are left to the worker's deep check."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with Image.open(fh) as image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            return False
    fh.seek(0)
    if fh.read(8) == b"\x89PNG\r\n\x1a\n":
        return _png_ends_at_iend(fh)
    return True


def _pdf_ends(fh: IO[bytes]) -> bool:
    fh.seek(0, 2)
    fh.seek(max(0, fh.tell() - 1024))
    return b"%%EOF" in fh.read()


def _png_ends_at_iend(fh: IO[bytes]) -> bool:
    """PNG chunks walk to IEND, and the file ends there (no payload appended)."""
    fh.seek(8)
    while True:
        header = fh.read(8)
        if len(header) < 8:
            return False
        length = struct.unpack(">I", header[:4])[0]
        fh.seek(length + 4, 1)
        if header[4:8] == b"IEND":
            return fh.read(1) == b""


def _pdf_parses(fh: IO[bytes]) -> bool:
    from pypdf import PdfReader

    if not _pdf_ends(fh):
        return False
    fh.seek(0)
    reader = PdfReader(fh, strict=False)
    return len(reader.pages) >= 1


def _bmff_valid(fh: IO[bytes], *, need: tuple[bytes, ...]) -> bool:
    """ISO base media (MP4, MOV, 3GP, HEIC): top-level boxes from the first byte to the last,
    each with a printable four-letter type, `ftyp` first, one of `need` present."""
    fh.seek(0, 2)
    size = fh.tell()
    position, types = 0, []
    while position < size:
        fh.seek(position)
        header = fh.read(8)
        if len(header) < 8:
            return False
        box_size, box_type = struct.unpack(">I", header[:4])[0], header[4:8]
        if not all(0x20 <= b < 0x7F for b in box_type):
            return False
        if box_size == 1:
            large = fh.read(8)
            if len(large) < 8:
                return False
            box_size = struct.unpack(">Q", large)[0]
        elif box_size == 0:
            box_size = size - position  # to the end of the file
        if box_size < 8 or position + box_size > size:
            return False
        types.append(box_type)
        position += box_size
    return bool(types) and types[0] == b"ftyp" and any(t in types for t in need)


def _vint(fh: IO[bytes]) -> tuple[int, int]:
    """An EBML variable-size integer: (value with the marker bit cleared, length)."""
    first = fh.read(1)
    if not first:
        raise ValueError("end of file")
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        length += 1
        mask >>= 1
    if length > 8:
        raise ValueError("bad vint")
    value = byte & (mask - 1)
    for b in fh.read(length - 1):
        value = (value << 8) | b
    return value, length


def _ebml_valid(fh: IO[bytes]) -> bool:
    """WebM: an EBML header naming the webm (or matroska) doc type, then a Segment."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(0)
    if fh.read(4) != b"\x1aE\xdf\xa3":
        return False
    header_size, _n = _vint(fh)
    header = fh.read(header_size)
    if len(header) != header_size or (b"webm" not in header and b"matroska" not in header):
        return False
    if fh.read(4) != b"\x18S\x80g":  # Segment
        return False
    segment_size, _n = _vint(fh)
    unknown = (1 << (7 * _n)) - 1
    return segment_size == unknown or fh.tell() + segment_size <= size
