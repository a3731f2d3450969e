"""GET /media/<path>: files beside articles, with conditional requests and byte ranges.

Podcast apps and browsers seek in audio and video with Range requests (RFC 9110 §14), so
ranges, suffix ranges, If-Range and 416 are answered by werkzeug's make_conditional; the
ETag is strong (a digest of the bytes, the same in every worker and after a restart).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.wsgi import wrap_file

from .errors import MediaError
from .media import SANDBOXED_TYPES, MediaFile, find_media, open_media

DIGESTS = 4096  # files whose digest each process remembers
CHUNK = 1024 * 1024

bp = Blueprint("media", __name__)
_digests: OrderedDict[tuple[str, int, int, tuple[int, int]], str] = OrderedDict()
_lock = threading.Lock()


def _digest(media: MediaFile) -> str:
    """SHA-256 of the file's bytes (first 32 hex digits), computed once per version of it."""
    key = (media.real, media.size, media.mtime_ns, media.inode)
    with _lock:
        if key in _digests:
            _digests.move_to_end(key)
            return _digests[key]
    digest = hashlib.sha256()
    with open_media(media) as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    value = digest.hexdigest()[:32]
    with _lock:
        _digests[key] = value
        while len(_digests) > DIGESTS:
            _digests.popitem(last=False)
    return value


@bp.get("/media/<path:path>")
def media_file(path: str) -> Response:
    """A media file of the content folder: 200, 206 (a range), 304 or 416; 404 if not published."""
    settings = current_app.extensions["feedsvc"].settings
    try:
        media = find_media(settings.content_dir, path, settings.max_media_size)
        etag = _digest(media)
        file = open_media(media)
    except (MediaError, OSError) as exc:
        abort(404, f"no media file {path[:200]!r}: {exc}")
    response = Response(wrap_file(request.environ, file), content_type=media.type, direct_passthrough=True)
    response.content_length = media.size
    response.last_modified = datetime.fromtimestamp(media.mtime_ns // 1_000_000_000, UTC)
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = settings.scan_interval
    response.headers["X-Content-Type-Options"] = "nosniff"
    if media.type in SANDBOXED_TYPES:  # an SVG opened on its own may hold scripts: none run
        response.headers["Content-Security-Policy"] = "sandbox"
    try:  # answers in place: 200, 206 or 304
        response.make_conditional(request.environ, accept_ranges=True, complete_length=media.size)
    except RequestedRangeNotSatisfiable:
        response.close()
        return Response(f"416 Range Not Satisfiable: the file has {media.size} bytes\n", status=416,
                        content_type="text/plain; charset=utf-8",
                        headers={"Content-Range": f"bytes */{media.size}", "Accept-Ranges": "bytes"})
    return response
