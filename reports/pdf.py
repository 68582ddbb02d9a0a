"""Rendering HTML to PDF with WeasyPrint.

A minimal version for the exports; the reports-docs work brings the shipped CJK font and
the shared font configuration behind the same signature (the lead keeps that version).
"""

from weasyprint import HTML


def render_pdf(html: str, *, base_url=None) -> bytes:
    return HTML(string=html, base_url=base_url).write_pdf()
