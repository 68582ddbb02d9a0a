import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Application
from selection.services import applications as app_services
from selection.services.review import review_application
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
)
from tests.selection.helpers import PDF, make_round, ready_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def selection_round():
    return make_round()


def test_submit_scores_indicators_and_locks(selection_round):
    application, member = ready_application(selection_round)
    submitted = app_services.submit_application(application, actor=member, declaration=True)
    assert submitted.status == S.SUBMITTED
    assert submitted.indicator_score is not None
    assert submitted.indicator_trace["indicators"]
    assert submitted.declaration_accepted_at is not None
    assert Notification.objects.filter(recipient=selection_round.created_by).exists()
    with pytest.raises(DomainError, match="已提交，不能修改"):
        app_services.save_application(submitted, actor=member, growth_plan="改了")
    submitted.refresh_from_db()
    assert submitted.growth_plan == "三年内拓展至五个省份。"


def test_submit_needs_declaration_figures_and_attachment(selection_round):
    enterprise = EnterpriseFactory(region=region("330100"))
    member = enterprise_user(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    with pytest.raises(DomainError, match="真实性承诺"):
        app_services.submit_application(application, actor=member, declaration=False)
    with pytest.raises(DomainError, match="近 3 个年度"):
        app_services.submit_application(application, actor=member, declaration=True)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_one_application_per_enterprise_per_round(selection_round):
    application, member = ready_application(selection_round)
    with pytest.raises(DomainError, match="已有本轮次的申请"):
        app_services.start_application(
            actor=member, enterprise=application.enterprise, selection_round=selection_round
        )
    with pytest.raises(IntegrityError):
        Application.objects.create(
            round=selection_round,
            enterprise=application.enterprise,
            category="tech",
            tier_sought="growth",
            size="small",
        )


def test_enterprise_outside_the_jurisdiction_cannot_apply(selection_round):
    shanghai = EnterpriseFactory(region=region("310000"))
    with pytest.raises(DomainError, match="不在本轮遴选的辖区内"):
        app_services.start_application(
            actor=enterprise_user(shanghai), enterprise=shanghai, selection_round=selection_round
        )


def test_closed_window_refuses_new_applications():
    draft_round = make_round(status=RoundStatus.DRAFT)
    enterprise = EnterpriseFactory(region=region("330100"))
    with pytest.raises(DomainError, match="不在申报期内"):
        app_services.start_application(
            actor=enterprise_user(enterprise), enterprise=enterprise, selection_round=draft_round
        )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 this is an exe renamed to pdf", "不是 PDF"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_attachments_are_checked_by_content(selection_round, name, content, message):
    application, member = ready_application(selection_round)
    before = application.attachments.count()
    with pytest.raises(DomainError, match=message):
        app_services.add_attachment(
            application, actor=member, upload=SimpleUploadedFile(name, content), kind="other"
        )
    assert application.attachments.count() == before


def test_pdf_with_another_name_is_accepted(selection_round):
    application, member = ready_application(selection_round)
    attachment = app_services.add_attachment(
        application, actor=member, upload=SimpleUploadedFile("scan.bin", PDF), kind="financial"
    )
    assert attachment.original_name == "scan.bin"


def test_attachment_over_20_mb_is_refused(selection_round):
    application, member = ready_application(selection_round)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(DomainError, match="超过 20 MB"):
        app_services.add_attachment(application, actor=member, upload=big, kind="other")


def test_figures_that_contradict_themselves_are_refused(selection_round):
    application, member = ready_application(selection_round)
    from tests.selection.helpers import strong_figures

    figures = strong_figures(selection_round.year - 1)
    year = max(figures)
    figures[year]["rd_staff"] = figures[year]["employees"] + 1
    with pytest.raises(DomainError, match="研发人员数不能多于从业人员数"):
        app_services.save_application(application, actor=member, figures=figures)


def test_formal_review_return_resubmit_then_eligible(selection_round):
    application, member = ready_application(selection_round)
    application = app_services.submit_application(application, actor=member, declaration=True)
    bureau = selection_round.created_by
    checklist = list(selection_round.checklist.all())
    items = {item.pk: (True, "") for item in checklist}
    items[checklist[2].pk] = (False, "缺少审计报告")

    returned = review_application(application, actor=bureau, outcome="returned", items=items)
    assert returned.status == S.RETURNED
    assert Notification.objects.filter(recipient=member, body__contains="缺少审计报告").exists()

    app_services.save_application(returned, actor=member, growth_plan="补充了审计报告。")
    resubmitted = app_services.submit_application(returned, actor=member, declaration=True)
    assert resubmitted.status == S.RESUBMITTED

    all_ok = {item.pk: (True, "") for item in checklist}
    eligible = review_application(resubmitted, actor=bureau, outcome="eligible", items=all_ok)
    assert eligible.status == S.ELIGIBLE
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk), action__startswith="application.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "application.returned",
        "application.updated",
        "application.resubmitted",
        "application.eligible",
    ]


def test_review_rules_give_clear_errors(selection_round):
    application, member = ready_application(selection_round)
    application = app_services.submit_application(application, actor=member, declaration=True)
    bureau = selection_round.created_by
    checklist = list(selection_round.checklist.all())
    all_ok = {item.pk: (True, "") for item in checklist}
    one_bad_no_note = {**all_ok, checklist[0].pk: (False, "")}
    with pytest.raises(DomainError, match="请填写问题说明"):
        review_application(application, actor=bureau, outcome="returned", items=one_bad_no_note)
    with pytest.raises(DomainError, match="至少标出一项"):
        review_application(application, actor=bureau, outcome="returned", items=all_ok)
    with pytest.raises(DomainError, match="请填写理由"):
        review_application(application, actor=bureau, outcome="ineligible", items=all_ok)
    with pytest.raises(DomainError, match="每一项"):
        review_application(application, actor=bureau, outcome="eligible", items={})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_illegal_application_transition_is_refused(selection_round):
    application, member = ready_application(selection_round)
    with pytest.raises(DomainError, match="不能变更为“已入库”"):
        app_services.set_application_status(application, S.ADMITTED, actor=member)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_outsiders_cannot_review(selection_round):
    application, member = ready_application(selection_round)
    application = app_services.submit_application(application, actor=member, declaration=True)
    items = {item.pk: (True, "") for item in selection_round.checklist.all()}
    for outsider in (BureauUserFactory(region=region("310000")), member):
        with pytest.raises(DomainError, match="无权"):
            review_application(application, actor=outsider, outcome="eligible", items=items)


def test_pages_and_api_are_scoped(client, selection_round):
    application, member = ready_application(selection_round)
    other_enterprise_user = enterprise_user(EnterpriseFactory(region=region("330100")))
    url = reverse("selection:application-detail", args=[application.pk])
    for user, page_status in [
        (member, 200),
        (selection_round.created_by, 200),
        (
            BureauUserFactory(region=region("330100")),
            200,
        ),  # a city inside sees its province's round
        (BureauUserFactory(region=region("110000")), 404),
        (other_enterprise_user, 404),
        (UserFactory(role="panelist"), 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == page_status, user
        api = client.get(f"/api/v1/applications/{application.pk}/")
        assert api.status_code == page_status, user


def test_enterprise_fills_and_submits_through_the_pages(client, selection_round):
    enterprise = EnterpriseFactory(region=region("330100"))
    member = enterprise_user(enterprise)
    client.force_login(member)
    assert "开始申报" in client.get(reverse("selection:index")).content.decode()
    response = client.post(reverse("selection:application-start", args=[selection_round.pk]))
    application = Application.objects.get(enterprise=enterprise)
    assert response.url == reverse("selection:application-edit", args=[application.pk])

    from tests.selection.helpers import APPLICATION_TEXT, strong_figures

    data = {"save": "1", **APPLICATION_TEXT}
    for year, values in strong_figures(selection_round.year - 1).items():
        data.update({f"y{year}-{k}": "" if v is None else str(v) for k, v in values.items()})
    assert (
        client.post(reverse("selection:application-edit", args=[application.pk]), data).status_code
        == 302
    )
    client.post(
        reverse("selection:attachment-add", args=[application.pk]),
        {"kind": "business_licence", "file": SimpleUploadedFile("营业执照.pdf", PDF)},
    )
    client.post(
        reverse("selection:application-submit", args=[application.pk]), {"declaration": "on"}
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.figures.count() == 3
    detail = client.get(
        reverse("selection:application-detail", args=[application.pk])
    ).content.decode()
    assert "指标得分" in detail


def test_bureau_reviews_through_the_page(client, selection_round):
    application, member = ready_application(selection_round)
    app_services.submit_application(application, actor=member, declaration=True)
    client.force_login(selection_round.created_by)
    data = {"outcome": "eligible", "reason": ""}
    for item in selection_round.checklist.all():
        data[f"item_{item.pk}"] = "1"
    response = client.post(reverse("selection:application-review", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE


def test_round_pages_for_staff_only(client, selection_round):
    url = reverse("selection:round-detail", args=[selection_round.pk])
    client.force_login(selection_round.created_by)
    assert client.get(url).status_code == 200
    client.force_login(BureauUserFactory(region=region("110000")))
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role="publisher"))
    assert client.get(reverse("selection:index")).status_code == 403


def test_enterprise_timeline_shows_application_events(client, selection_round):
    application, member = ready_application(selection_round)  # records figures as "figures"
    client.force_login(selection_round.created_by)
    url = reverse("registry:enterprise-detail", args=[application.enterprise.pk])
    body = client.get(url).content.decode()
    assert 'data-action="application.updated"' in body
    assert "修改遴选申请" in body
