"""Small media files written byte by byte for tests: a PNG image and an MP3 of silence."""

from __future__ import annotations

import struct
import zlib

# One MPEG-1 Layer III frame: 128 kbit/s, 44.1 kHz, mono, no CRC; its side information and
# main data all zero, which decoders play as silence. 1,152 samples, 417 bytes.
MP3_FRAME = bytes([0xFF, 0xFB, 0x90, 0xC4]) + bytes(417 - 4)
MP3_FRAMES_PER_SECOND = 44100 / 1152


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of one grey colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


def mp3(seconds: float) -> bytes:
    """An MP3 of silence lasting about this many seconds."""
    return MP3_FRAME * round(seconds * MP3_FRAMES_PER_SECOND)
