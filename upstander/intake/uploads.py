"""The reporter side's own upload handler: every file stays in memory, never in a temporary file, and a file over
the size limit (or beyond the count limit) is not silently dropped, as Django's memory handler alone would do, but
arrives as an empty placeholder marked `refused`, so the page can say which file and why.

Memory is bounded by MAX_FILES_PER_REQUEST x UPLOAD_MAX_BYTES; the web server in front should also cap the body
size (docs/reporting.md).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

MAX_FILES_PER_REQUEST = 5


class ReporterUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.count = 0
        self.buffer: io.BytesIO | None = None
        self.refused = ""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.count += 1
        self.buffer = io.BytesIO()
        self.refused = "too_many" if self.count > MAX_FILES_PER_REQUEST else ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.refused:
            return None
        assert self.buffer is not None
        if self.buffer.tell() + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self.refused = "too_large"
            self.buffer = io.BytesIO()  # drop what was read: an oversized file is not kept even in memory
            return None
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        assert self.buffer is not None
        self.buffer.seek(0)
        upload = InMemoryUploadedFile(self.buffer, self.field_name, self.file_name, "application/octet-stream",
                                      0 if self.refused else self.buffer.getbuffer().nbytes, None)
        upload.refused = self.refused  # type: ignore[attr-defined]
        return upload
