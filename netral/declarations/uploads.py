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


def sniff(head: bytes) -> str | None:
    """The content type told by the first bytes (netral.core.uploads), or None."""
    found = uploads.sniff(head)
    return found.content_type if found else None


def check_upload(data: bytes, *, allowed: frozenset[str], field: str) -> str:
    """The sniffed content type, or an ApplicationError naming the field."""
    if not data:
        raise ApplicationError(_("%(field)s: berkas kosong.") % {"field": field})
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("%(field)s: berkas terlalu besar (maksimum %(mb)d MB).")
            % {"field": field, "mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    kind = sniff(data[: uploads.HEAD_BYTES])
    if kind is None or kind not in allowed:
        names = ", ".join(sorted(k.split("/")[1].upper() for k in allowed))
        raise ApplicationError(
            _("%(field)s: isi berkas bukan %(kinds)s.") % {"field": field, "kinds": names}
        )
    return kind
