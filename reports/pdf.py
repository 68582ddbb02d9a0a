"""HTML to PDF with WeasyPrint, the same way for every document and export.

Chinese renders on any machine: the CJK font ships in `reports/fonts/` (Portal Sans SC, a
subset of Noto Sans CJK SC, OFL) and every document names it by @font-face with a file URL,
so no system font is ever needed. WeasyPrint's own speed advice is followed: one shared
FontConfiguration, a small print stylesheet (no CSS framework), tables in fixed layout.
"""

import atexit
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Portal Sans SC"
FONT_FILES = {
    "normal": FONT_DIR / "PortalSansSC-Regular.otf",
    "bold": FONT_DIR / "PortalSansSC-Bold.otf",
}
# The BaseFont name a PDF carries for the shipped font (after WeasyPrint's subset
# prefix "ABCDEF+"): what the tests look for.
FONT_PDF_NAME = "Portal-Sans-SC"

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
@page landscape { size: A4 landscape; }
html { font-family: "Portal Sans SC", sans-serif; font-size: 10pt; line-height: 1.45;
  color: #111; }
body { margin: 0; }
h1 { font-size: 17pt; margin: 0 0 4mm; text-align: center; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 0.6pt solid #333; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; }
p { margin: 0 0 2mm; }
.meta { color: #444; font-size: 9pt; text-align: center; margin-bottom: 5mm; }
.muted { color: #555; }
.landscape { page: landscape; }
.page-break { break-before: page; }
table { width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0 0 4mm; }
th, td { border: 0.5pt solid #777; padding: 1.2mm 1.6mm; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #eceff3; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; }
td.code { white-space: nowrap; font-size: 8.5pt; overflow-wrap: normal; }
.chart { margin: 2mm 0 4mm; break-inside: avoid; }
.chart figcaption { font-weight: bold; font-size: 9.5pt; margin-bottom: 1mm; }
.chart svg { width: 100%; height: auto; }
.sr-table { font-size: 8.5pt; }
.kv th { width: 32%; }
.w8 { width: 8%; } .w10 { width: 10%; } .w12 { width: 12%; } .w14 { width: 14%; }
.w16 { width: 16%; } .w18 { width: 18%; } .w22 { width: 22%; } .w23 { width: 23%; }
.w25 { width: 25%; } .w26 { width: 26%; } .w30 { width: 30%; } .w40 { width: 40%; }
.directory p { margin: 0; padding: 0.5mm 0; }
"""


def font_face_css() -> str:
    """@font-face rules naming the shipped font files by file URL."""
    return "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{path.as_uri()}") format("opentype"); }}\n'
        for weight, path in FONT_FILES.items()
    )


@cache
def _shared():
    """The one FontConfiguration and the compiled stylesheet, built once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css() + PRINT_CSS, font_config=fonts)
    return fonts, stylesheet


# Drop the shared configuration before the interpreter tears modules down (its __del__
# needs them).
atexit.register(_shared.cache_clear)


def render_pdf(html: str, *, base_url=None, stylesheets=()) -> bytes:
    """The PDF of `html` with the print stylesheet and the shipped CJK font.

    `stylesheets`: more CSS strings (e.g. a landscape page for a wide table)."""
    from weasyprint import CSS, HTML

    fonts, stylesheet = _shared()
    extra = [CSS(string=css, font_config=fonts) for css in stylesheets]
    document = HTML(string=html, base_url=base_url or str(FONT_DIR))
    return document.write_pdf(stylesheets=[stylesheet, *extra], font_config=fonts)


def render_pdf_document(html: str, *, base_url=None):
    """The laid-out document (its pages counted before writing): for the benchmark and jobs
    that report the page count."""
    from weasyprint import HTML

    fonts, stylesheet = _shared()
    return HTML(string=html, base_url=base_url or str(FONT_DIR)).render(
        stylesheets=[stylesheet], font_config=fonts
    )
