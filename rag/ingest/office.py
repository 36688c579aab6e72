"""What the Office and OpenDocument readers share: refusing encrypted files with a clear reason."""

from __future__ import annotations

import io
import zipfile

from rag.ingest.text import UnreadableFile

# An encrypted DOCX/XLSX/PPTX is not a zip but an OLE compound file holding the encrypted
# package (so is a legacy .doc/.xls/.ppt); the reason says both.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_package(data: bytes, kind: str) -> zipfile.ZipFile:
    """The zip package of an Office or OpenDocument file, or an ``UnreadableFile`` reason."""
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            f"password-protected {kind} (or an old binary Office file): save it without a password"
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableFile(f"malformed {kind} (not a zip package)") from error
    if "META-INF/manifest.xml" in package.namelist():
        manifest = package.read("META-INF/manifest.xml")
        if b"encryption-data" in manifest:  # OpenDocument encrypts each part inside the zip
            raise UnreadableFile(f"password-protected {kind}: save it without a password")
    return package
