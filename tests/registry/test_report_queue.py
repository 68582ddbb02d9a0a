"""Staff's queue of annual reports across their jurisdiction (issue #14): filters, the
review page with last year's figures, accept/return from it, bulk accept of clean ones."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from registry.models import AnnualReport
from tests.factories import (
    AdminUserFactory,
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    enterprise_user,
    region,
)
from tests.query_budget import queries_of_get

pytestmark = pytest.mark.django_db

QUEUE = reverse("registry:report-list")
BULK = reverse("registry:report-bulk-accept")


def filed(code="330100", *, year=2025, name=None, **values):
    enterprise = EnterpriseFactory(region=region(code), **({"name": name} if name else {}))
    return AnnualReportFactory(enterprise=enterprise, year=year, **values)


@pytest.fixture
def hangzhou(client):
    user = BureauUserFactory(region=region("330100"))
    client.force_login(user)
    return user


def listed(response):
    return [r.pk for r in response.context["page"].object_list]


def test_queue_lists_waiting_reports_of_the_jurisdiction_only(client, hangzhou):
    mine = filed("330100", name="杭州数科")
    filed("330200", name="宁波数科")  # a sibling city's
    filed("110000", name="北京数科")  # another province's
    accepted = filed("330100", status="accepted")
    draft = filed("330100", status="draft", submitted_at=None)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == [mine.pk]
    assert "杭州数科" in response.text and "宁波数科" not in response.text
    # "全部" states: the filed ones, never another enterprise's draft.
    everything = listed(client.get(QUEUE, {"status": ""}))
    assert sorted(everything) == sorted([mine.pk, accepted.pk])
    assert draft.pk not in everything


def test_province_staff_see_their_cities_and_filter_by_region_year_and_flag(client):
    client.force_login(BureauUserFactory(region=region("330000")))
    hz = filed("330100")
    nb = filed("330200")
    hz_2024 = filed("330100", year=2024)
    flagged = filed("330200", confirmations={"revenue": "并购了一家子公司。"})
    assert sorted(listed(client.get(QUEUE))) == sorted([hz.pk, nb.pk, hz_2024.pk, flagged.pk])
    assert sorted(listed(client.get(QUEUE, {"region": "330200"}))) == sorted([nb.pk, flagged.pk])
    assert listed(client.get(QUEUE, {"year": 2024})) == [hz_2024.pk]
    assert listed(client.get(QUEUE, {"flagged": "true"})) == [flagged.pk]
    assert flagged.pk not in listed(client.get(QUEUE, {"flagged": "false"}))
    refused = client.get(QUEUE, {"year": "abc"})
    assert refused.status_code == 200 and listed(refused) == []
    assert "年度" in refused.text


def test_enterprise_still_gets_its_own_report_page(client):
    report = filed("330100")
    filed("330100")  # another enterprise's
    client.force_login(enterprise_user(report.enterprise))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert [r.pk for r, _ in response.context["rows"]] == [report.pk]


def test_review_page_shows_every_figure_beside_last_years(client, hangzhou):
    report = filed("330100", revenue=Decimal("30000000"), confirmations={})
    AnnualReportFactory(enterprise=report.enterprise, year=2024, revenue=Decimal("20000000"))
    response = client.get(reverse("registry:report-review", args=[report.pk]))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert rows["revenue"]["now"] == Decimal("30000000.00")
    assert rows["revenue"]["before"] == Decimal("20000000.00")
    assert rows["revenue"]["change"] == Decimal("50.0")
    assert rows["employees"]["change"] == Decimal("0.0")
    assert "30,000,000.00" in response.text and "20,000,000.00" in response.text
    assert reverse("registry:report-accept", args=[report.pk]) in response.text
    assert "data-confirm" in response.text


def test_review_page_shows_the_reason_given_for_a_jump(client, hangzhou):
    report = filed("330100", confirmations={"revenue": "并购了一家子公司。"})
    response = client.get(reverse("registry:report-review", args=[report.pk]))
    assert "并购了一家子公司。" in response.text
    assert response.context["flagged"] is True


def test_review_page_refuses_outsiders(client):
    report = filed("330100")
    draft = filed("330100", status="draft", submitted_at=None)
    url = reverse("registry:report-review", args=[report.pk])
    client.force_login(BureauUserFactory(region=region("330200")))
    assert client.get(url).status_code == 404
    client.force_login(BureauUserFactory(region=region("330100")))
    assert client.get(reverse("registry:report-review", args=[draft.pk])).status_code == 404
    client.force_login(enterprise_user(report.enterprise))
    assert client.get(url).status_code == 403


def test_accept_from_the_review_page_returns_to_the_queue(client, hangzhou):
    report = filed("330100")
    response = client.post(reverse("registry:report-accept", args=[report.pk]), {"next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    report.refresh_from_db()
    assert report.status == "accepted"


def test_return_from_the_review_page_needs_a_reason(client, hangzhou):
    report = filed("330100")
    url = reverse("registry:report-return", args=[report.pk])
    client.post(url, {"next": QUEUE, "reason": " "})
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(url, {"next": QUEUE, "reason": "研发人员数与社保人数不符。"})
    report.refresh_from_db()
    assert report.status == "returned"
    assert report.returns.get().reason == "研发人员数与社保人数不符。"


def test_bulk_accept_accepts_clean_reports_and_leaves_flagged_ones(client, hangzhou):
    clean = [filed("330100") for _ in range(3)]
    flagged = filed("330100", confirmations={"revenue": "并购了一家子公司。"})
    outside = filed("330200")
    done = filed("330100", status="accepted")
    ids = [r.pk for r in [*clean, flagged, outside, done]]
    response = client.post(BULK, {"report": ids, "querystring": "year=2025&x=1"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?year=2025&x=1"
    statuses = dict(AnnualReport.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert [statuses[r.pk] for r in clean] == ["accepted"] * 3
    assert statuses[flagged.pk] == "submitted"
    assert statuses[outside.pk] == "submitted"
    events = AuditEvent.objects.filter(action="report.accepted", actor=hangzhou)
    assert sorted(events.values_list("object_id", flat=True)) == sorted(str(r.pk) for r in clean)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert "已确认 3 份报告。" in shown
    assert any(m.startswith("2 份报告未确认") for m in shown)  # flagged, done


def test_bulk_accept_refuses_enterprise_users_and_changes_nothing(client):
    report = filed("330100")
    client.force_login(enterprise_user(report.enterprise))
    assert client.post(BULK, {"report": [report.pk]}).status_code == 403
    report.refresh_from_db()
    assert report.status == "submitted"
    assert not AuditEvent.objects.filter(action="report.accepted").exists()


def test_bulk_accept_without_a_choice_says_so(client, hangzhou):
    response = client.post(BULK, {"report": ["x"]}, follow=True)
    assert "请先勾选要确认的报告。" in response.text


def test_queue_page_shows_year_on_year_and_hides_checkbox_of_flagged(client, hangzhou):
    report = filed("330100", revenue=Decimal("30000000"))
    AnnualReportFactory(
        enterprise=report.enterprise, year=2024, revenue=Decimal("20000000"), status="accepted"
    )
    flagged = filed("330100", confirmations={"revenue": "并购。"})
    response = client.get(QUEUE)
    assert "50.0%" in response.text
    assert f'name="report" value="{report.pk}"' in response.text
    assert f'name="report" value="{flagged.pk}"' not in response.text


def test_admin_sees_every_jurisdiction(client):
    a, b = filed("330100"), filed("110000")
    client.force_login(AdminUserFactory())
    assert sorted(listed(client.get(QUEUE))) == sorted([a.pk, b.pk])


def test_api_filters_reports_like_the_queue(client):
    client.force_login(BureauUserFactory(region=region("330000")))
    filed("330100")
    flagged = filed("330200", confirmations={"revenue": "并购。"})
    filed("110000")
    body = client.get("/api/v1/annual-reports/", {"flagged": "true"}).json()
    assert [r["id"] for r in body["results"]] == [flagged.pk]
    assert body["results"][0]["flagged"] is True
    body = client.get("/api/v1/annual-reports/", {"region": "330200"}).json()
    assert [r["id"] for r in body["results"]] == [flagged.pk]
    assert client.get("/api/v1/annual-reports/", {"flagged": "maybe"}).status_code == 400


def _queries(client, url):
    return queries_of_get(client, url)


def test_queue_query_count_is_the_same_at_1_and_30_rows(client, hangzhou):
    first = filed("330100")
    AnnualReportFactory(enterprise=first.enterprise, year=2024)
    one = _queries(client, QUEUE)
    for n in range(29):
        report = filed("330100", name=f"批量企业{n:02d}")
        AnnualReportFactory(enterprise=report.enterprise, year=2024)
    assert AnnualReport.objects.filter(status="submitted", year=2025).count() == 30
    assert _queries(client, QUEUE) == one
    assert _queries(client, f"{QUEUE}?status=&year=2025") == one


def test_queue_paginates_20_a_page(client, hangzhou):
    for n in range(25):
        filed("330100", name=f"分页企业{n:02d}", submitted_at=datetime.datetime(
            2026, 4, 1, n % 24, tzinfo=datetime.UTC))  # fmt: skip
    assert len(listed(client.get(QUEUE))) == 20
    assert len(listed(client.get(QUEUE, {"page": 2}))) == 5


def test_home_card_counts_the_waiting_reports_the_queue_lists(client, hangzhou):
    for n in range(3):
        filed("330100", name=f"待审企业{n}")
    filed("330100", status="accepted")
    filed("330100", status="draft", submitted_at=None)
    filed("330200")  # a sibling city's
    home = client.get(reverse("home"))
    card = home.context["cards"]["reports_waiting"]
    link = f"{QUEUE}?status=submitted"
    assert f'href="{link}"' in home.text
    assert card == 3 == len(listed(client.get(link)))
    assert 'data-testid="reports-waiting">3<' in home.text


def test_home_has_no_report_card_for_an_enterprise(client):
    report = filed("330100")
    client.force_login(enterprise_user(report.enterprise))
    assert "reports_waiting" not in client.get(reverse("home")).context["cards"]
