"""Draft files of deliverables: which uploads are taken, and how a stored one is served.

A draft is an image (jpg, png, webp, gif) or a video (mp4, mov, webm) of at most
``COLLAB_UPLOAD_MAX_MB`` megabytes. Its extension must name what its content is: an image is
opened and verified with Pillow (its format must be the extension's), a video must start with
its container's signature (an ISO media ``ftyp`` box for mp4 and mov, an EBML header of DocType
``webm`` for webm). Anything else, or a file whose name and content disagree, is refused.

Drafts are private: they are served only through a view that checks the reader is one of the
two parties or staff (``draft_response``), never from a public media URL.
"""

import os
import re
import warnings

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.text import get_valid_filename
from PIL import Image

from collaborations.services import CollaborationError

IMAGE_FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
VIDEO_EXTENSIONS = ("mp4", "mov", "webm")
EXTENSIONS = (*IMAGE_FORMATS, *VIDEO_EXTENSIONS)
ALIASES = {"jpeg": "jpg"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
}
# What the file input offers in the browser (the server checks the content either way).
ACCEPT = ",".join([*(f".{extension}" for extension in (*EXTENSIONS, "jpeg")), "image/*", "video/*"])
NAME_MAX = 60
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
RANGE = re.compile(r"bytes=(\d{0,18})-(\d{0,18})")


def upload_limit_bytes() -> int:
    return settings.COLLAB_UPLOAD_MAX_MB * 1024 * 1024


def draft_extension(name: str) -> str:
    """The canonical extension of a file name (``jpeg`` is ``jpg``), lower case, without the dot."""
    extension = os.path.splitext(name or "")[1].lstrip(".").lower()
    return ALIASES.get(extension, extension)


def is_video(name: str) -> bool:
    return draft_extension(name) in VIDEO_EXTENSIONS


def check_draft(upload) -> str:
    """The name to store ``upload`` under, once its size, extension and content are right;
    else ``CollaborationError`` on ``file``. The upload is left at its start."""
    limit = settings.COLLAB_UPLOAD_MAX_MB
    if upload.size > upload_limit_bytes():
        raise CollaborationError(errors={"file": [f"The file is larger than {limit} MB."]})
    if not upload.size:
        raise CollaborationError(errors={"file": ["The file is empty."]})
    extension = draft_extension(upload.name)
    if extension not in EXTENSIONS:
        raise CollaborationError(
            errors={"file": [f"Upload an image or a video: {', '.join(EXTENSIONS)} (not “.{extension or '?'}”)."]}
        )
    try:
        matches = _image_matches(upload, extension) if extension in IMAGE_FORMATS else _video_matches(upload, extension)
    finally:
        upload.seek(0)
    if not matches:
        raise CollaborationError(
            errors={"file": [f"The file's content is not a {extension} file: upload the image or video itself."]}
        )
    return _stored_name(upload.name, extension)


def _image_matches(upload, extension) -> bool:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # An image of more pixels than Pillow's limit is refused, not just warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                found = image.format
                image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a file that is no readable image
        return False
    return found == IMAGE_FORMATS[extension]


def _video_matches(upload, extension) -> bool:
    upload.seek(0)
    head = upload.read(64)
    if extension == "webm":
        return head.startswith(EBML_MAGIC) and b"webm" in head
    # mp4 and mov are both ISO base media files (QuickTime's brand is "qt  "); phones name them
    # either way, so either extension takes either brand.
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12].isascii()


def _stored_name(name, extension) -> str:
    stem = os.path.splitext(os.path.basename(name or ""))[0]
    try:
        stem = get_valid_filename(stem)[:NAME_MAX]
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or 'draft'}.{extension}"


def draft_file_name(submission) -> str:
    """The stored file's name, without its folder (what the export and the API show)."""
    return os.path.basename(submission.file.name) if submission.file else ""


def draft_response(submission, range_header: str = ""):
    """The draft file, streamed from storage, shown inline with its type; the caller has checked
    the reader may see it. ``range_header``: the request's ``Range`` (one ``bytes=`` range), which
    phone browsers need to play a video: then the part asked for (206), or 416 past the end."""
    try:
        handle = submission.file.open("rb")
        size = submission.file.size
    except OSError:
        raise Http404("The draft file is no longer stored.") from None
    content_type = CONTENT_TYPES.get(draft_extension(submission.file.name), "application/octet-stream")
    wanted = _byte_range(range_header, size)
    if wanted is None:
        response = FileResponse(
            handle, content_type=content_type, as_attachment=False, filename=draft_file_name(submission)
        )
    elif wanted == ():
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted
        handle.seek(start)
        response = StreamingHttpResponse(_read(handle, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    # Nothing in a draft runs as a page of this site, whatever a browser makes of it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _byte_range(header: str, size: int):
    """``(start, end)`` of a single ``bytes=`` range, ``()`` for one that cannot be served, or
    ``None`` for no (or an unreadable) range: the whole file."""
    match = RANGE.fullmatch((header or "").strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if size == 0 or start > end or start >= size:
        return ()
    return start, end


def _read(handle, length, chunk=64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()
