"""The hearing summary as a PDF (WeasyPrint), from the same template as the page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from weasyprint import HTML


def pdf(request: HttpRequest, context: dict) -> bytes:
    html = render_to_string("evidence/summary.html", {**context, "printing": True}, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
