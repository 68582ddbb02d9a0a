import datetime

import pytest
from django.urls import reverse

from accounts.models import Region
from config.errors import DomainError
from notifications.models import Notification
from registry.models import LabelAward, RegistryEntry, TierChange
from reports.models import AnnualReportRun
from reports.services import annual
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.reports.helpers import pdf_text, response_bytes
from tests.test_celery_worker import _wait_for, worker  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _registry():
    """Zhejiang: two enterprises in Hangzhou (potential, growth), one in Ningbo (leading),
    one in Hangzhou that exited in 2025; one in Beijing (outside)."""
    a = registry_enterprise("330100", name="甲数科", tier="potential")
    b = registry_enterprise("330100", name="乙数科", tier="growth")
    c = registry_enterprise("330200", name="丙数科", tier="leading")
    gone = registry_enterprise("330100", name="丁数科", tier="growth")
    RegistryEntry.objects.filter(enterprise=gone).update(
        status="exited", left_on=datetime.date(2025, 8, 1)
    )
    registry_enterprise("110000", name="京外数科", tier="leading")
    entry_b = RegistryEntry.objects.get(enterprise=b)
    TierChange.objects.create(
        entry=entry_b,
        from_tier="potential",
        to_tier="growth",
        reason="升级",
        created_at=datetime.datetime(2025, 5, 20, tzinfo=datetime.UTC),
    )
    LabelAward.objects.create(
        enterprise=c, label="gazelle", granted_on=datetime.date(2025, 5, 1), source="测试"
    )
    return a, b, c


def test_annual_figures_count_the_jurisdiction_at_the_years_end():
    _registry()
    figures = annual.annual_figures(region("330000"), 2025)
    assert figures["total"] == 3
    assert dict(figures["by_tier"]) == {"潜力型": 1, "成长型": 1, "领军型": 1}
    by_region = dict(figures["by_region"])
    assert (by_region["杭州市"], by_region["宁波市"]) == (2, 1)
    assert dict(figures["by_label"])["瞪羚企业"] == 1
    movements = dict(figures["movements"])
    assert (movements["升级"], movements["退出"], movements["毕业"]) == (1, 1, 0)
    city = annual.annual_figures(region("330100"), 2025)
    assert city["total"] == 2
    assert dict(annual.annual_figures(region("330000"), 2023)["by_tier"]) == {
        "潜力型": 0, "成长型": 0, "领军型": 0,
    }  # fmt: skip


def test_annual_figures_take_the_same_queries_for_few_and_many(django_assert_max_num_queries):
    _registry()
    # 14 for the registry, policies and resources; 11 for vouchers, scenarios, financing.
    with django_assert_max_num_queries(25) as few:
        annual.annual_figures(region("330000"), 2025)
    for n in range(20):
        registry_enterprise("330100", name=f"批量数科{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        annual.annual_figures(region("330000"), 2025)


def test_annual_report_job_renders_charts_and_the_directory_and_notifies(client):
    _registry()
    staff = BureauUserFactory(region=region("330000"))
    run = annual.start_annual_report(region("330000"), 2025, actor=staff)
    run = annual.run_annual_report(AnnualReportRun.objects.get(pk=run.pk))
    assert (run.status, run.processed, run.total) == ("done", 3, 3)
    assert run.pages >= 2 and run.summary["total"] == 3
    note = Notification.objects.get(recipient=staff)
    assert note.url == reverse("reports:annual-detail", args=[run.pk])
    client.force_login(staff)
    response = client.get(reverse("reports:annual-download", args=[run.pk]))
    text = pdf_text(response_bytes(response))
    for needle in ("浙江省 2025 年度数字经济创新型企业培育报告", "在库企业层级分布", "甲数科",
                   "乙数科", "丙数科", "附录：在库企业名录", "年度报告报送"):  # fmt: skip
        assert needle in text, needle
    assert "丁数科" not in text and "京外数科" not in text
    assert annual.run_annual_report(run) == run  # idempotent


def test_annual_report_html_draws_svg_charts_with_text_alternatives():
    _registry()
    html = annual.annual_report_html(region("330000"), 2025)
    # thirteen charts (four of vouchers, scenarios, financing); no data resource coded, no
    # chart of them
    assert html.count("<svg") == 12
    assert "<title>在库企业层级分布</title><desc>潜力型 1；成长型 1；领军型 1</desc>" in html


def test_annual_report_only_for_covering_staff_and_download_by_requester_or_staff(client):
    requester = BureauUserFactory(region=region("330100"))
    with pytest.raises(DomainError):
        annual.start_annual_report(region("330000"), 2025, actor=requester)
    with pytest.raises(DomainError):
        annual.start_annual_report(region("330100"), 2019, actor=requester)
    assert AnnualReportRun.objects.count() == 0
    run = annual.run_annual_report(
        annual.start_annual_report(region("330100"), 2025, actor=requester)
    )
    download = reverse("reports:annual-download", args=[run.pk])
    for user in (requester, BureauUserFactory(region=region("330000")), AdminUserFactory()):
        client.force_login(user)
        assert client.get(download).status_code == 200
    for user in (
        BureauUserFactory(region=region("330200")),
        enterprise_user(registry_enterprise("330100")),
        UserFactory(role="panelist"),
    ):
        client.force_login(user)
        assert client.get(download).status_code == 404


def test_annual_report_asked_twice_while_running_is_the_same_run():
    staff = BureauUserFactory(region=region("330100"))
    first = annual.start_annual_report(region("330100"), 2025, actor=staff)
    AnnualReportRun.objects.filter(pk=first.pk).update(status="queued")
    second = annual.start_annual_report(region("330100"), 2025, actor=staff)
    assert second.pk == first.pk


def test_reports_index_lists_documents_for_staff_and_refuses_others(client):
    staff = BureauUserFactory(region=region("330100"))
    client.force_login(staff)
    response = client.post(
        reverse("reports:annual-start"), {"jurisdiction": "330100", "year": "2025"}
    )
    run = AnnualReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:annual-detail", args=[run.pk])
    body = client.get(reverse("reports:index")).content.decode()
    assert "年度培育报告" in body and "杭州市" in body
    refused = client.post(
        reverse("reports:annual-start"), {"jurisdiction": "110000", "year": "2025"}
    )
    assert refused.status_code == 302 and AnnualReportRun.objects.count() == 1
    client.force_login(enterprise_user(registry_enterprise("330100")))
    assert client.get(reverse("reports:index")).status_code == 403


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_the_annual_report(worker):  # noqa: F811 (the fixture)
    _registry()
    staff = BureauUserFactory(region=region("330000"))
    run = annual.start_annual_report(Region.objects.get(code="330000"), 2025, actor=staff)
    run = _wait_for(run, seconds=120)
    assert run.status == "done", run.error
    assert run.pages >= 2 and run.file
    with run.file.open("rb") as f:
        assert "甲数科" in pdf_text(f.read())
    assert Notification.objects.filter(recipient=staff).count() == 1
