"""Uploaded files in and out: one way to take them and one way to give them back.

In: the type is decided by the content (the first bytes, for Office files the zip's parts), not
by the name; each kind of file has its size limit; the name the user gave is kept only as a
label, cleaned of paths and control characters; the file is stored under a generated name.

Out: only through a view that checked permission, always as an attachment, with nosniff and a
sandboxing policy, and never as HTML or SVG (which a browser would run in the platform's origin).
"""

import io
import mimetypes
import os
import re
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

FILE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}
_OFFICE_PART = {".xlsx": "xl/", ".docx": "word/"}
# Types a browser would render or run in the platform's origin: never served as themselves.
_ACTIVE_TYPES = ("text/html", "application/xhtml", "image/svg", "text/xml", "application/xml", "text/javascript",
                 "application/javascript")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff/\\:*?\"<>|]+")


def sniff(content, suffix):
    """Whether ``content`` is a file of the type ``suffix`` names."""
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    if suffix == ".png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if suffix == ".mp3":
        return content.startswith(b"ID3") or content[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
    if suffix in (".m4a", ".mp4"):
        return content[4:8] == b"ftyp"
    if suffix == ".ogg":
        return content.startswith(b"OggS")
    if suffix == ".wav":
        return content.startswith(b"RIFF") and content[8:12] == b"WAVE"
    if suffix == ".webm":
        return content.startswith(b"\x1a\x45\xdf\xa3")
    if suffix in _OFFICE_PART:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return False
        return "[Content_Types].xml" in names and any(name.startswith(_OFFICE_PART[suffix]) for name in names)
    return False


def safe_name(name, max_length=200):
    """The user's file name as a label: no folders, no control or path characters, not hidden."""
    name = os.path.basename(str(name or "").replace("\\", "/"))
    name = _UNSAFE_NAME.sub("_", name).strip(" .") or "file"
    stem, suffix = os.path.splitext(name)
    return stem[: max_length - len(suffix[:20])] + suffix[:20]


def generated_name(suffix):
    """A storage name nobody chose: a random hex and the (checked) suffix."""
    return f"{uuid.uuid4().hex}{suffix}"


def read_upload(uploaded, allowed, max_bytes):
    """(clean name, suffix, content) of an upload whose suffix is in ``allowed``, whose size is at
    most ``max_bytes`` and whose content is of the type its suffix names; else ValidationError."""
    name = safe_name(getattr(uploaded, "name", ""))
    suffix = os.path.splitext(name)[1].lower()
    if suffix not in allowed:
        raise ValidationError(_("“%(name)s” is not an allowed file type; allowed: %(types)s.") % {"name": name, "types": ", ".join(allowed)})
    if (uploaded.size or 0) > max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(limit)s MB.") % {"name": name, "limit": round(max_bytes / 1024 / 1024, 1)})
    content = uploaded.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationError(_("“%(name)s” is larger than %(limit)s MB.") % {"name": name, "limit": round(max_bytes / 1024 / 1024, 1)})
    if not content:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    if not sniff(content, suffix):
        raise ValidationError(_("“%(name)s” is not really a %(type)s file (its content does not match its name).") % {"name": name, "type": suffix.lstrip(".").upper()})
    return name, suffix, content


def checked_upload(uploaded, allowed, max_bytes, *, field=None):
    """``uploaded`` checked by :func:`read_upload`, as a file under a generated name to assign to a
    model's FileField: storage receives it only when its row is saved, so a refusal after the
    check leaves no file behind. With ``field``, a refusal names that field."""
    try:
        _name, suffix, content = read_upload(uploaded, allowed, max_bytes)
    except ValidationError as exc:
        raise (ValidationError({field: exc.messages}) if field else exc) from None
    from django.core.files.base import ContentFile

    return ContentFile(content, name=generated_name(suffix))


def attachment(file, filename, content_type):
    """A download of ``file`` (open, binary) as an attachment the browser never renders in place."""
    if not content_type or content_type.lower().startswith(_ACTIVE_TYPES):
        content_type = "application/octet-stream"
    response = FileResponse(file, as_attachment=True, filename=safe_name(filename), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened in place by mistake, the file may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def stored_attachment(field_file, filename=None):
    """A stored file (a model's FileField) as an attachment, 404 when there is none: the one way
    the views that checked permission give uploaded files back (no bare ``/media/`` address)."""
    from django.http import Http404

    if not field_file:
        raise Http404
    filename = filename or field_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return attachment(field_file.open("rb"), filename, content_type)
