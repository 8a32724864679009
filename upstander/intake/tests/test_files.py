"""File rules: metadata stripped from the copy handlers see, unsafe types only ever downloaded, bombs and programs
refused, oversized files refused with a message while the draft is kept."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfReader, PdfWriter

from upstander.reports import files
from upstander.reports.files import FileRefused
from upstander.reports.models import Attachment
from upstander.testing.journeys import Answers, Journey, report_for


def jpeg_with_exif(size=(40, 30), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0131] = "SecretSoftware"  # Software
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "Jane Secretauthor", "/Creator": "SecretWordProcessor"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(document: bytes = b"<w:document>hello</w:document>", *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as z:
        z.writestr("[Content_Types].xml", '<Types><Override PartName="/word/document.xml" ContentType="x"/>'
                   '<Override PartName="/docProps/core.xml" ContentType="y"/></Types>')
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="rId1" Target="word/document.xml"/>'
                   '<Relationship Id="rId2" Target="docProps/core.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
        z.writestr("docProps/core.xml", "<cp:coreProperties><dc:creator>Jane Secretauthor</dc:creator>"
                   "</cp:coreProperties>")
        z.writestr("docProps/app.xml", "<Properties><Company>Secret Company</Company></Properties>")
    return out.getvalue()


def test_exif_is_stripped_from_the_copy_and_kept_in_the_original():
    checked = files.check("IMG_0001.jpg", jpeg_with_exif(orientation=6))
    assert checked.kind == "image" and checked.metadata_removed and checked.inline_safe
    assert b"SecretCameraMaker" in checked.original
    assert b"SecretCameraMaker" not in checked.clean and b"SecretSoftware" not in checked.clean
    with Image.open(io.BytesIO(checked.clean)) as clean:
        assert dict(clean.getexif()) == {}
        assert clean.size == (30, 40)  # the orientation was applied before it was dropped


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Secretauthor")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(out, format="PNG", pnginfo=info)
    assert b"Secretauthor" not in files.check("shot.png", out.getvalue()).clean


def test_pdf_document_properties_are_removed():
    checked = files.check("letter.pdf", pdf_with_author())
    assert checked.kind == "pdf" and checked.metadata_removed and not checked.inline_safe
    assert b"Secretauthor" not in checked.clean and b"SecretWordProcessor" not in checked.clean
    assert len(PdfReader(io.BytesIO(checked.clean)).pages) == 1


def test_office_document_properties_are_removed_with_their_references():
    checked = files.check("statement.docx", docx())
    assert checked.kind == "office" and checked.metadata_removed
    with zipfile.ZipFile(io.BytesIO(checked.clean)) as z:
        assert not [n for n in z.namelist() if n.startswith("docProps/")]
        assert b"docProps" not in z.read("[Content_Types].xml") and b"docProps" not in z.read("_rels/.rels")
        assert z.read("word/document.xml") == b"<w:document>hello</w:document>"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    assert b"Secret" not in checked.clean


def test_a_zip_bomb_is_refused():
    bomb = docx(b"<w:t>" + b"0" * (8 * 1024 * 1024) + b"</w:t>")
    assert len(bomb) < 100 * 1024
    with pytest.raises(FileRefused, match="expands to far more than its size"):
        files.check("cv.docx", bomb)


@pytest.mark.parametrize("name,data,message", [
    ("setup.exe", b"MZ\x90\x00rest", "program or script"),
    ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "program or script"),
    ("chat.js", b"alert(1)", "program or script"),
    ("export.zip", None, "archive"),
    ("photos.7z", b"7z\xbc\xaf\x27\x1c....", "archive"),
    ("empty.txt", b"", "empty"),
    ("broken.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "could not read the picture"),
    ("broken.pdf", b"%PDF-1.7 garbage", "could not read the PDF"),
])
def test_programs_archives_and_broken_files_are_refused_with_a_message(name, data, message):
    if data is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("chat.txt", "hello")
        data = out.getvalue()
    with pytest.raises(FileRefused, match=message):
        files.check(name, data)


def test_html_svg_and_unknown_files_are_accepted_as_downloads_only():
    assert files.check("page.html", b"<!doctype html><script>alert(1)</script>").kind == "unsafe"
    svg = files.check("drawing.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    assert svg.kind == "unsafe" and not svg.inline_safe
    other = files.check("data.bin", bytes(range(256)) * 4)
    assert other.kind == "other" and not other.inline_safe and other.note


def test_an_svg_is_served_to_handlers_only_as_a_download(reporter, staff_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>'
    journey = reporter(files=[("drawing.svg", svg), ("photo.jpg", jpeg_with_exif())])
    report = report_for(journey.receipt)
    handler = staff_client("handler_a")
    by_kind = {a.kind: a for a in Attachment.objects.filter(report=report)}

    response = handler.get(f"/cases/reports/{report.public_id}/files/{by_kind['unsafe'].public_id}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and "drawing.svg" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == svg

    image = handler.get(f"/cases/reports/{report.public_id}/files/{by_kind['image'].public_id}")
    assert image["Content-Type"] == "image/jpeg" and image["Content-Disposition"].startswith("inline;")
    assert b"SecretCameraMaker" not in b"".join(image.streaming_content)


def test_an_oversized_file_is_refused_with_a_message_and_the_draft_is_kept(cast, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    client = Client()
    journey = Journey(client, Answers(narrative="Kept safe while the file was refused."))
    journey.how()
    journey.what()
    response = journey.upload([("recording.txt", b"a" * 10_000), ("small.txt", b"a short note")])
    page = response.content.decode()
    assert response.status_code == 400
    assert "“recording.txt” is larger than the size limit" in page
    assert re.search(r"small\.txt", page)  # the file that fitted was kept
    assert "Kept safe while the file was refused." in client.get("/report/new/what").content.decode()
    journey.equality()
    journey.check_token()
    journey.submit()
    assert [a.size for a in Attachment.objects.all()] == [len(b"a short note")]
