"""Indicator and decision traces are data; pages and the API render them."""

import pytest
from django.urls import reverse
from django.utils import translation

from selection.explanations import render_decision, render_indicator_trace
from selection.models import Application
from selection.services import applications as app_services
from selection.services import tiering
from tests.explanations import chinese_in
from tests.factories import BureauUserFactory, region
from tests.selection.helpers import make_round, ready_application, tiering_round
from tests.selection.test_tiering import run_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    selection_round = make_round()
    application, member = ready_application(selection_round)
    application = app_services.submit_application(application, actor=member, declaration=True)
    return application, member


def _rubric_words(trace):
    """The round's own words (indicator, group and rule names): shown as written."""
    names = [row["name"] for row in trace["indicators"]]
    names += [group["name"] for group in trace["groups"]]
    return names + [rule["label"] for rule in trace["direct_pass_rules"]]


def test_the_indicator_trace_holds_figures_and_renders_in_both_languages(submitted):
    application, _member = submitted
    trace = application.indicator_trace
    assert "summary" not in trace
    row = trace["indicators"][0]
    assert set(row) == {"code", "name", "group", "metric", "value", "reason", "bands", "band",
                        "points"}  # fmt: skip
    assert "label" not in row["band"]
    zh = render_indicator_trace(trace, "zh-hans")
    assert zh["summary"].startswith(f"指标得分 {trace['score']} 分，及格线 {trace['pass_mark']} 分")
    assert zh["indicators"][0]["metric_label"] == "研发投入强度"
    en = render_indicator_trace(trace, "en")
    assert en["summary"].startswith(f"Indicator score {trace['score']}, pass mark ")
    assert en["indicators"][0]["metric_label"] == "R&D intensity"
    words = _rubric_words(trace)
    for row in en["indicators"]:
        assert chinese_in(f"{row['metric_label']} {row['value']} {row['band']} {row['reason']}",
                          *words) == [], row  # fmt: skip
    for rule in en["direct_pass_rules"]:
        assert chinese_in(rule["text"], *words) == [], rule
    assert chinese_in(en["summary"], *words) == []


def test_application_page_and_api_render_the_trace_in_english(client, submitted):
    application, member = submitted
    en = render_indicator_trace(application.indicator_trace, "en")
    zh = render_indicator_trace(application.indicator_trace, "zh-hans")
    client.force_login(member)
    url = reverse("selection:application-detail", args=[application.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert en["summary"] in page and zh["summary"] not in page
    api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["indicator_trace"] == application.indicator_trace
    assert api["indicator_trace_text"]["summary"] == en["summary"]
    assert api["result"] is None  # nothing of the decision before it is confirmed


def test_the_decision_trace_says_why_in_the_readers_language(client):
    selection_round, apps = tiering_round([[90] * 5])
    run_job(selection_round)
    application = Application.objects.get(pk=apps[0].pk)
    trace = application.decision_trace
    assert trace["outcome"] == "proposed" and "reason" not in trace
    zh, en = render_decision(trace, "zh-hans"), render_decision(trace, "en")
    with translation.override("zh-hans"):
        assert zh == f"拟定为{application.get_proposed_tier_display()}"
    assert en.startswith("Proposed: ") and chinese_in(en) == []
    client.force_login(selection_round.created_by)
    results = reverse("selection:results", args=[selection_round.pk])
    page = client.get(results, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert en in page and zh not in page
    api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["result"]["decision_trace"] == trace
    assert api["result"]["decision_text"] == en
    member = application.enterprise.memberships.get().user
    client.force_login(member)  # the enterprise sees nothing of it before confirmation
    assert client.get(f"/api/v1/applications/{application.pk}/").json()["result"] is None
    tiering.confirm_results(selection_round, actor=selection_round.created_by)
    api = client.get(f"/api/v1/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["result"]["decision_text"] == en


def test_other_province_staff_get_no_trace(client, submitted):
    application, _member = submitted
    client.force_login(BureauUserFactory(region=region("110000")))
    assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 404
