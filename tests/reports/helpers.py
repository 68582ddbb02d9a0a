"""Reading PDFs back in tests: the text pypdf extracts and the fonts a PDF embeds."""

import io

from pypdf import PdfReader


def pdf_reader(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pdf_reader(content).pages)


def pdf_fonts(content: bytes) -> set[str]:
    """The BaseFont names of every font the PDF's pages use, without the subset prefix."""
    names = set()
    for page in pdf_reader(content).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(name.split("+", 1)[-1])
    return names


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
