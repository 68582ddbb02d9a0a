import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from reports.models import Export
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    EnterpriseFactory,
    PolicyFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


def page_names(client, url, params):
    """Every row the list page shows for `params`, page after page, in order."""
    names, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        page = response.context["page"]
        names += list(page.object_list)
        if not page.has_next():
            return names
        number += 1


def export_csv(client, list_name, params, columns=(), fmt="csv"):
    url = reverse("exports:start", args=[list_name])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(url, {"query": query, "columns": list(columns), "format": fmt})


def csv_rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture
def province(client):
    user = BureauUserFactory(region=region("330000"))
    client.force_login(user)
    return user


@pytest.fixture
def enterprises():
    made = [
        EnterpriseFactory(name="杭州甲数智", region=region("330100"), category="data",
                          founded_on=datetime.date(2015, 3, 1)),
        EnterpriseFactory(name="宁波乙科技", region=region("330200"), category="tech",
                          founded_on=datetime.date(2018, 5, 2)),
        EnterpriseFactory(name="杭州丙数据", region=region("330100"), category="data",
                          founded_on=datetime.date(2012, 1, 9)),
        EnterpriseFactory(name="北京丁智能", region=region("310000"), category="data"),
    ]  # fmt: skip
    return made


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "data"},
        {"region": "330100", "ordering": "-founded_on"},
        {"q": "杭州", "ordering": "uscc"},
    ],
)
def test_enterprise_export_equals_the_filtered_page_row_for_row(
    client, province, enterprises, params
):
    shown = [e.uscc for e in page_names(client, reverse("registry:enterprise-list"), params)]

    response = export_csv(client, "enterprises", params)

    rows = csv_rows(response)
    assert rows[0][:2] == ["企业名称", "统一社会信用代码"]
    assert [r[1] for r in rows[1:]] == shown
    assert shown  # every case has rows


def test_city_bureau_export_never_holds_another_citys_rows(client, enterprises):
    client.force_login(BureauUserFactory(region=region("330100")))

    rows = csv_rows(export_csv(client, "enterprises", {}))

    assert sorted(r[0] for r in rows[1:]) == ["杭州丙数智" if False else "杭州丙数据", "杭州甲数智"]


def test_export_is_an_audit_event_with_list_filter_rows_and_format(client, province, enterprises):
    csv_rows(export_csv(client, "enterprises", {"category": "data"}))

    export = Export.objects.get()
    event = AuditEvent.objects.get(action="reports.export")
    assert event.actor == province
    assert event.object_id == str(export.pk)
    assert event.after == {
        "list": "enterprises",
        "filter": "category=data",
        "rows": 2,
        "format": "csv",
        "columns": export.columns,
        "background": False,
    }
    assert export.status == "done"
    assert export.processed == 2


def test_csv_defuses_formulas_and_keeps_chinese(client, province):
    EnterpriseFactory(name='=HYPERLINK("x")数智', region=region("330100"))

    rows = csv_rows(export_csv(client, "enterprises", {}, columns=["name"]))

    assert rows == [["企业名称"], ['\'=HYPERLINK("x")数智']]


def test_xlsx_has_typed_cells_frozen_header_and_widths(client, province):
    policy = PolicyFactory(created_by=province, jurisdiction=region("330000"),
                           benefit_amount=Decimal("12345.60"))  # fmt: skip

    response = export_csv(
        client, "policies", {}, columns=["title", "benefit_amount", "valid_from",
                                         "grant_count", "published_at"], fmt="xlsx",
    )  # fmt: skip

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        "政策名称",
        "兑现金额（元）",
        "有效期起",
        "匹配企业数",
        "发布时间",
    ]
    title, amount, valid_from, grants, published = sheet[2]
    assert title.value == policy.title
    assert amount.value == 12345.6 and amount.number_format == "#,##0.00"
    assert isinstance(valid_from.value, datetime.datetime)
    assert valid_from.value.date() == policy.valid_from
    assert valid_from.number_format == "yyyy-mm-dd"
    assert grants.value == 0 and grants.data_type == "n"
    assert sheet.column_dimensions["A"].width >= 10


def test_pdf_export_renders_the_table_with_the_filter(client, province):
    from pypdf import PdfReader

    from reports import pdf

    EnterpriseFactory(name="杭州PDF数智 Alpha", region=region("330100"))

    response = export_csv(client, "enterprises", {"region": "330100"}, fmt="pdf")

    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    first = reader.pages[0]
    assert first.mediabox.width > first.mediabox.height  # landscape
    if hasattr(pdf, "FONT_FAMILY"):
        # With the shipped CJK font (reports/pdf.py of the reports-docs work) the text
        # extracts; the minimal render_pdf of this branch falls back to the machine's fonts.
        text = "".join(p.extract_text() for p in reader.pages)
        assert "企业名录" in text
        assert "杭州PDF数智 Alpha" in text
        assert "330100" in text


def test_pdf_over_the_cap_is_refused_with_a_sentence(client, province, settings, enterprises):
    settings.EXPORT_PDF_MAX_ROWS = 1

    response = export_csv(client, "enterprises", {}, fmt="pdf")

    assert response.status_code == 200
    assert "请缩小筛选范围或导出 XLSX" in response.content.decode()
    assert Export.objects.count() == 0
    assert not AuditEvent.objects.filter(action="reports.export").exists()


def test_roles_without_the_list_are_refused(client, enterprises):
    member = enterprise_user(enterprises[0])
    client.force_login(member)

    assert client.get(reverse("exports:start", args=["enterprises"])).status_code == 403
    assert export_csv(client, "enterprises", {}).status_code == 403
    assert Export.objects.count() == 0


def test_unknown_list_is_404(client, province):
    assert client.get(reverse("exports:start", args=["nothing"])).status_code == 404


def test_export_page_describes_the_filter_and_counts(client, province, enterprises):
    response = client.get(
        reverse("exports:start", args=["enterprises"]), {"category": "data", "page": "2"}
    )

    assert response.status_code == 200
    assert response.context["rows"] == 2
    assert response.context["filters"] == [("创新类型", "数据价值创新")]
    assert response.context["form"]["query"].value() == "category=data"


def test_admin_exports_every_province(client, enterprises):
    client.force_login(AdminUserFactory())

    rows = csv_rows(export_csv(client, "enterprises", {}))

    assert len(rows) == 5
