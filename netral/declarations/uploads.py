"""Upload checks by content, not by name (pure): magic bytes and a size limit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from netral.core import uploads
from netral.core.errors import ApplicationError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
IMAGES = frozenset({JPEG, PNG, WEBP})
PDF_OR_IMAGE = IMAGES | {PDF}
VIDEOS = frozenset({"video/mp4", "video/webm", "video/quicktime"})


def check_upload(data: bytes, *, allowed: frozenset[str], field: str) -> uploads.Sniffed:
    """What the bytes are (netral.core.uploads.sniff), or an ApplicationError naming the
    field when they are empty, too large or not one of the `allowed` content types."""
    if not data:
        raise ApplicationError(_("%(field)s: berkas kosong.") % {"field": field})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("%(field)s: berkas terlalu besar (maksimum %(mb)d MB).")
            % {"field": field, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    kind = uploads.sniff(data[: uploads.HEAD_BYTES])
    if kind is None or kind.content_type not in allowed:
        names = ", ".join(sorted(k.split("/")[1].upper() for k in allowed))
        raise ApplicationError(
            _("%(field)s: isi berkas bukan %(kinds)s.") % {"field": field, "kinds": names}
        )
    return kind
