"""The one zip-member guard, called before any parser sees a zip: an .xlsx/.ods upload (ilp.ingest.sheets) and a
zipped Shapefile/GeoPackage (ilp.geo.reading).

    infos = guard_zip(zf, max_members=2_000, max_total=100 << 20, max_ratio=100)   # raises ZipRefused(msg)

Refused: more than `max_members` members; a member path with '..', an absolute or drive path, or a NUL; an
encrypted member; more than `max_total` bytes once unpacked (declared sizes first; with `stream=True` every member
is also read through, CRC-checked by zipfile, so lying size headers are caught); with `max_ratio`, a member above
1 MB that unpacks to more than `max_ratio` times its compressed size. Every refusal carries a Msg (impor.zip.*).
"""
from __future__ import annotations

import re
import zipfile

from ilp.ingest.base import Msg

RATIO_MIN_BYTES = 1 << 20   # the compression-ratio rule applies to members larger than this


class ZipRefused(Exception):
    def __init__(self, msg: Msg):
        super().__init__(msg.key)
        self.msg = msg


def unsafe_member(name: str) -> bool:
    n = name.replace("\\", "/")
    return n.startswith("/") or bool(re.match(r"^[A-Za-z]:", n)) or ".." in n.split("/") or "\x00" in n


def _bomb(size: int, compressed: int, limit: int) -> ZipRefused:
    return ZipRefused(Msg("impor.zip.bomb", {"mb": f"{size / 1048576:.0f}", "dari": f"{compressed / 1048576:.1f}",
                                             "batas": f"{limit / 1048576:.0f}"}))


def guard_zip(z: zipfile.ZipFile, *, max_members: int, max_total: int, max_ratio: float | None = None,
              stream: bool = False, compressed_size: int = 0) -> list[zipfile.ZipInfo]:
    """The members of `z` after the checks in the module doc; raises ZipRefused."""
    infos = z.infolist()
    if len(infos) > max_members:
        raise ZipRefused(Msg("impor.zip.banyak", {"n": len(infos)}))
    for info in infos:
        if unsafe_member(info.filename):
            raise ZipRefused(Msg("impor.zip.jalur", {"nama": repr(info.filename)}))
        if info.flag_bits & 0x1:
            raise ZipRefused(Msg("impor.zip.sandi"))
    declared = sum(i.file_size for i in infos)
    if declared > max_total:
        raise _bomb(declared, compressed_size, max_total)
    if max_ratio is not None and any(i.file_size > RATIO_MIN_BYTES and i.file_size / max(i.compress_size, 1) > max_ratio
                                     for i in infos):
        raise _bomb(declared, compressed_size, max_total)
    if stream:
        total = 0
        try:
            for info in infos:
                if info.is_dir():
                    continue
                with z.open(info) as f:
                    while chunk := f.read(1 << 20):
                        total += len(chunk)
                        if total > max_total:
                            raise _bomb(total, compressed_size, max_total)
        except ZipRefused:
            raise
        except Exception as e:  # BadZipFile (CRC), zlib.error, NotImplementedError (method)
            raise ZipRefused(Msg("impor.zip.rusak", {"sebab": type(e).__name__})) from None
    return infos
