import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from config.errors import DomainError
from notifications.models import Notification
from registry.models import RegistryEntry, TierChange
from selection.choices import AggregationMethod, ApplicationStatus, RoundStatus
from selection.models import Application, SelectionRound, TieringRun
from selection.services import notice as notice_services
from selection.services import tiering
from selection.services.aggregation import panel_scores
from tests.factories import BureauUserFactory, UserFactory, region
from tests.selection.helpers import PDF, tiering_round

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def run_job(selection_round):
    """Start the tiering job; its task runs (in-process) when the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = tiering.start_tiering(selection_round, actor=selection_round.created_by)
    run.refresh_from_db()
    return run


def test_aggregation_methods_on_a_worked_example():
    selection_round, apps = tiering_round([[90, 80, 70, 60, 10]])
    stats = panel_scores(selection_round)[apps[0].pk]
    assert stats["n"] == 5
    assert stats["mean"] == Decimal("62.00")
    assert stats["median"] == Decimal("70.00")
    assert stats["trimmed"] == Decimal("70.00")  # 90 and 10 dropped
    assert stats["score"] == Decimal("70.00")  # the round's default is the trimmed mean


def test_trimmed_mean_needs_five_scores_and_median_of_even_count():
    selection_round, apps = tiering_round([[90, 80, 70, 10]], panelists=4)
    stats = panel_scores(selection_round)[apps[0].pk]
    assert stats["trimmed"] == stats["mean"] == Decimal("62.50")
    assert stats["median"] == Decimal("75.00")
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        aggregation=AggregationMethod.MEDIAN
    )
    selection_round.refresh_from_db()
    assert panel_scores(selection_round)[apps[0].pk]["score"] == Decimal("75.00")


def test_job_proposes_with_traces_and_a_rerun_changes_nothing():
    selection_round, apps = tiering_round([[90] * 5, [30] * 5])
    run = run_job(selection_round)
    assert run.status == "done" and run.processed == run.total == 2
    first = {a.pk: (a.status, a.proposed_tier, a.final_score) for a in Application.objects.all()}
    strong, weak = (Application.objects.get(pk=a.pk) for a in apps)
    assert strong.status == S.PROPOSED
    assert strong.panel_score == Decimal("90.00")
    # final = 40% indicator + 60% panel
    assert strong.final_score == (strong.indicator_score * Decimal("0.4") + Decimal("54")).quantize(
        Decimal("0.01")
    )
    assert strong.decision_trace["rank"] == 1
    assert strong.decision_trace["tiers"]
    assert weak.proposed_tier == ""
    run_job(selection_round)
    again = {a.pk: (a.status, a.proposed_tier, a.final_score) for a in Application.objects.all()}
    assert again == first
    assert TieringRun.objects.filter(round=selection_round).count() == 2


def test_job_refused_outside_tiering_and_for_outsiders():
    selection_round, _apps = tiering_round([[80] * 5])
    shanghai = UserFactory(role="bureau", region=region("310000"))
    with pytest.raises(DomainError, match="无权"):
        tiering.start_tiering(selection_round, actor=shanghai)
    SelectionRound.objects.filter(pk=selection_round.pk).update(status=RoundStatus.NOTICE)
    selection_round.refresh_from_db()
    with pytest.raises(DomainError, match="分级确定"):
        run_job(selection_round)


def test_override_needs_reason_and_is_traced():
    selection_round, apps = tiering_round([[90] * 5])
    run_job(selection_round)
    application = Application.objects.get(pk=apps[0].pk)
    with pytest.raises(DomainError, match="理由"):
        tiering.override_result(application, actor=selection_round.created_by, tier="", reason="")
    changed = tiering.override_result(
        application, actor=selection_round.created_by, tier="leading", reason="专家组复议一致同意"
    )
    assert changed.proposed_tier == "leading"
    assert changed.decision_trace["override"]["reason"] == "专家组复议一致同意"


def test_results_summary_names_tiers_in_the_reader_language_and_follows_overrides(client):
    selection_round, apps = tiering_round([[90] * 5, [30] * 5])
    run_job(selection_round)
    client.force_login(selection_round.created_by)
    url = reverse("selection:results", args=[selection_round.pk])
    strong = Application.objects.get(pk=apps[0].pk)
    tier = strong.get_proposed_tier_display()
    page = client.get(url).content.decode()
    assert f"{tier} 1" in page and "未入选 1" in page and "potential 1" not in page
    weak = Application.objects.get(pk=apps[1].pk)
    tiering.override_result(
        weak, actor=selection_round.created_by, tier=strong.proposed_tier, reason="复议"
    )
    page = client.get(url).content.decode()
    assert f"{tier} 2" in page and "未入选 0" in page
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Not selected 0" in english and f"{tier} 2" not in english


def test_results_stay_hidden_from_enterprise_until_confirmed(client):
    selection_round, apps = tiering_round([[90] * 5])
    run_job(selection_round)
    member = apps[0].enterprise.memberships.get().user
    client.force_login(member)
    url = reverse("selection:application-detail", args=[apps[0].pk])
    assert "遴选结果" not in client.get(url).content.decode()
    assert client.get(f"/api/v1/applications/{apps[0].pk}/").json()["result"] is None
    tiering.confirm_results(selection_round, actor=selection_round.created_by)
    assert "遴选结果" in client.get(url).content.decode()
    assert client.get(f"/api/v1/applications/{apps[0].pk}/").json()["result"]["final_score"]


def confirmed_round():
    selection_round, apps = tiering_round([[92] * 5, [88] * 5])
    run_job(selection_round)
    selection_round = tiering.confirm_results(selection_round, actor=selection_round.created_by)
    return selection_round, [Application.objects.get(pk=a.pk) for a in apps]


def test_public_notice_lists_selected_results_without_login(client):
    selection_round, apps = confirmed_round()
    assert selection_round.status == RoundStatus.NOTICE
    body = client.get(reverse("selection:public-notice")).content.decode()
    for application in apps:
        if application.proposed_tier:
            assert application.enterprise.name in body
    assert "登录后提出异议" in body


def test_objection_upheld_withdraws_the_result():
    selection_round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)
    citizen = UserFactory(role="enterprise")
    objection = notice_services.file_objection(
        target,
        actor=citizen,
        reason="该企业近三年研发费用数据与年报明显不符。",
        evidence=SimpleUploadedFile("年报.pdf", PDF),
    )
    assert objection.evidence
    notice_services.resolve_objection(
        objection, actor=selection_round.created_by, upheld=True, reply="经核实属实，撤销入选。"
    )
    target.refresh_from_db()
    assert target.status == S.WITHDRAWN
    assert Notification.objects.filter(recipient=citizen, body="经核实属实，撤销入选。").exists()


def test_objection_upheld_changes_the_tier_and_dismissed_changes_nothing():
    selection_round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)
    first = notice_services.file_objection(
        target, actor=UserFactory(), reason="评分明显偏高，请复核。谢谢"
    )
    notice_services.resolve_objection(
        first, actor=selection_round.created_by, upheld=False, reply="复核无误。"
    )
    target.refresh_from_db()
    assert target.status == S.CONFIRMED
    second = notice_services.file_objection(
        target, actor=UserFactory(), reason="应为潜力型，营收未达标准。"
    )
    notice_services.resolve_objection(
        second,
        actor=selection_round.created_by,
        upheld=True,
        reply="调整为潜力型。",
        new_tier="potential",
    )
    target.refresh_from_db()
    assert target.proposed_tier == "potential"


def test_objection_outside_notice_is_refused():
    selection_round, apps = tiering_round([[90] * 5])
    run_job(selection_round)
    with pytest.raises(DomainError, match="不在公示期内"):
        notice_services.file_objection(
            apps[0], actor=UserFactory(), reason="这是一条足够长的异议理由。"
        )


def test_notice_end_admits_into_the_registry_once():
    selection_round, apps = confirmed_round()
    selected = [a for a in apps if a.proposed_tier]
    assert selected
    assert tiering.finish_notice(selection_round) == 0  # still in the notice period
    later = selection_round.notice_ends_on + datetime.timedelta(days=1)
    assert tiering.finish_notice(selection_round, today=later) == len(selected)
    for application in selected:
        entry = RegistryEntry.objects.get(enterprise=application.enterprise)
        assert entry.tier == application.proposed_tier
        assert (
            TierChange.objects.filter(entry=entry, source=f"selection:{selection_round.pk}").count()
            == 1
        )
        application.refresh_from_db()
        assert application.status == S.ADMITTED
        member = application.enterprise.memberships.get().user
        assert Notification.objects.filter(recipient=member, title__contains="入库层级").exists()
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.CLOSED
    assert tiering.finish_notice(selection_round, today=later) == 0
    assert RegistryEntry.objects.count() == len(selected)


def test_open_objection_holds_the_admission():
    selection_round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)
    notice_services.file_objection(target, actor=UserFactory(), reason="需要复核其知识产权数量。")
    later = selection_round.notice_ends_on + datetime.timedelta(days=1)
    assert tiering.finish_notice(selection_round, today=later) == 0
    assert not RegistryEntry.objects.exists()


def test_results_page_for_staff_only(client):
    selection_round, _apps = confirmed_round()
    client.force_login(selection_round.created_by)
    assert client.get(reverse("selection:results", args=[selection_round.pk])).status_code == 200
    assert (
        client.get(reverse("selection:run-progress", args=[selection_round.pk])).status_code == 200
    )
    client.force_login(UserFactory(role="panelist"))
    assert client.get(reverse("selection:results", args=[selection_round.pk])).status_code == 404


def test_objection_evidence_downloads_for_staff_and_filer_only(client):
    selection_round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)
    citizen = UserFactory(role="enterprise")
    objection = notice_services.file_objection(
        target,
        actor=citizen,
        reason="研发费用与年报不符。",
        evidence=SimpleUploadedFile("年报.pdf", PDF),
    )
    url = reverse("selection:objection-evidence", args=[objection.pk])
    for allowed in (selection_round.created_by, citizen):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(selection_round.created_by)
    page = client.get(reverse("selection:objection-list", args=[selection_round.pk]))
    assert url in page.content.decode()
    for refused in (UserFactory(role="enterprise"), BureauUserFactory(region=region("440000"))):
        client.force_login(refused)
        assert client.get(url).status_code == 404
