from reports.pdf import FONT_FILES, FONT_PDF_NAME, font_face_css, render_pdf
from tests.reports.helpers import pdf_fonts, pdf_text


def test_render_pdf_extracts_chinese_text():
    content = render_pdf(
        "<h1>入库证书</h1><table><tr><td>杭州云栖数智科技有限公司</td></tr></table>"
    )
    text = pdf_text(content)
    assert "入库证书" in text
    assert "杭州云栖数智科技有限公司" in text


def test_render_pdf_embeds_the_shipped_font_only():
    content = render_pdf("<p>数创企业培育库 <b>年度培育报告</b> ABC 123</p>")
    assert pdf_fonts(content) == {FONT_PDF_NAME, f"{FONT_PDF_NAME}-Bold"}


def test_font_face_names_the_shipped_files_by_file_url():
    css = font_face_css()
    for path in FONT_FILES.values():
        assert path.is_file()
        assert path.stat().st_size < 5 * 1024 * 1024
        assert f'url("{path.as_uri()}")' in css
    assert (FONT_FILES["normal"].parent / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1
