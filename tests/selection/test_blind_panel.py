"""Blind review (issue #8): nothing a panelist of a blind round can reach names the applicant."""

import importlib
import itertools
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, reverse

from config.api_urls import router
from config.errors import DomainError
from notifications.models import Notification
from selection import blind
from selection import urls as selection_urls
from selection.choices import IDENTITY_ATTACHMENT_KINDS, RoundStatus
from selection.models import (
    Assignment,
    ConflictOfInterest,
    ScoreSheet,
    SelectionRound,
)
from selection.models.panel import ConflictKind
from selection.services import applications as app_services
from selection.services import panel as panel_services
from selection.services import rounds as round_services
from selection.services import tiering
from selection.services.review import review_application
from tests.factories import EnterpriseFactory, UserFactory, enterprise_user, region
from tests.selection.helpers import PDF, close_window, make_round, strong_figures, tiering_round

pytestmark = pytest.mark.django_db

NAME = "杭州云栖数智科技有限公司"
WEBSITE = "https://www.yunqi-tech.cn/"
CONTACT = "李云舟"
PHONE = "0571-88886666"
EMAIL = "li.yunzhou@yunqi-tech.cn"
ESSAYS = {
    "innovation_summary": f"{NAME}（简称云栖数智、云栖）自主研发隐私计算平台，"
    f"官网 www.yunqi-tech.cn，统一社会信用代码 {{uscc}}。",
    "data_practice": "云栖数智与公共数据授权运营平台合作，数字科技赋能制造业。",
    "growth_plan": f"三年内拓展至五个省份；联系人{CONTACT}，电话 {PHONE}，邮箱 {EMAIL}。",
}
# One upload of every kind, each named as applicants name their files.
UPLOADS = {
    "business_licence": "云栖数智营业执照.pdf",
    "identity": "李云舟身份证.pdf",
    "authorisation": "杭州云栖数智科技有限公司授权委托书.pdf",
    "financial": "云栖数智2025年度审计报告.pdf",
    "ip": "云栖专利证书.pdf",
    "other": "yunqi-tech产品白皮书.pdf",
}


def applicant():
    return EnterpriseFactory(
        name=NAME,
        region=region("330100"),
        website=WEBSITE,
        contact_name=CONTACT,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )


def identity_strings(enterprise) -> list[str]:
    """What must never reach a blind panelist: names, short forms, code, site, contact,
    and the applicant's own file names."""
    return [NAME, "云栖数智", "云栖", enterprise.uscc, "yunqi-tech", CONTACT, "88886666",
            "li.yunzhou", *UPLOADS.values()]  # fmt: skip


def apply(selection_round, enterprise, *, uploads=UPLOADS):
    """An eligible application with identity in its essays and one attachment per kind."""
    member = enterprise_user(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    app_services.save_application(
        application,
        actor=member,
        figures=strong_figures(selection_round.year - 1),
        category="tech",
        tier_sought="growth",
        size="small",
        award_level="none",
        rd_institution_level="none",
        **{k: v.format(uscc=enterprise.uscc) for k, v in ESSAYS.items()},
    )
    for kind, file_name in uploads.items():
        # An identity document bears the name (a licence does); the others here do not.
        content = PDF + NAME.encode() if kind in IDENTITY_ATTACHMENT_KINDS else PDF
        app_services.add_attachment(
            application, actor=member, upload=SimpleUploadedFile(file_name, content), kind=kind
        )
    application = app_services.submit_application(application, actor=member, declaration=True)
    items = {item.pk: (True, "") for item in selection_round.checklist.all()}
    application = review_application(
        application, actor=selection_round.created_by, outcome="eligible", items=items
    )
    return application, member


def review_round(*, hide_names, region_code="330000", enterprise=None, experts=()):
    """A round in panel review with the applicant and the given experts on its panel."""
    selection_round = make_round(region_code=region_code)
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        hide_enterprise_names=hide_names, panelists_per_application=max(1, len(experts))
    )
    selection_round.refresh_from_db()
    application, owner = apply(selection_round, enterprise or applicant())
    bureau = selection_round.created_by
    members = [
        panel_services.add_panel_member(
            selection_round, actor=bureau, user=user, affiliation="university"
        )
        for user in experts
    ]
    close_window(selection_round)
    for step in (RoundStatus.FORMAL_REVIEW, RoundStatus.PANEL_REVIEW):
        selection_round = round_services.set_round_status(selection_round, step, actor=bureau)
    return selection_round, application, owner, members


def panelist():
    return UserFactory(role="panelist", full_name="王评审")


def assign(application, member):
    panel_services.assign_manually(application, actor=application.round.created_by, member=member)
    return ScoreSheet.objects.get(
        assignment__application=application, assignment__panel_member=member
    )


def body_of(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8", errors="ignore")
    headers = " ".join(unquote(v) for v in response.headers.values())
    return f"{headers}\n{content}"


def leaks(text, strings) -> list[str]:
    return [s for s in strings if s.lower() in text.lower()]


def urls_of(patterns, prefix, candidates):
    """Every pattern resolved with every combination of the candidate ids it takes."""
    for pattern in patterns:
        if not isinstance(pattern, URLPattern) or "format" in pattern.pattern.regex.groupindex:
            continue
        params = list(pattern.pattern.regex.groupindex)
        for values in itertools.product(*(candidates[p] for p in params)):
            yield reverse(f"{prefix}{pattern.name}", kwargs=dict(zip(params, values, strict=True)))


# --- the sweep ------------------------------------------------------------------------


def test_nothing_a_blind_panelist_can_reach_names_the_applicant(client):
    expert = panelist()
    selection_round, application, _owner, [member] = review_round(hide_names=True, experts=[expert])
    sheet = assign(application, member)
    attachments = list(application.attachments.order_by("id"))
    ids = {selection_round.pk, application.pk, application.enterprise_id, sheet.pk, member.pk}
    candidates = {
        "pk": sorted(ids | {sheet.assignment_id}),
        "application_pk": [application.pk],
        "attachment_pk": [a.pk for a in attachments],
        "assignment_pk": [sheet.assignment_id],
        "member_pk": [member.pk],
        "code": [application.enterprise.region.code],
    }
    urls = [
        reverse("home"),
        reverse("notifications:list"),
        reverse("api-me"),
        *urls_of(selection_urls.urlpatterns, "selection:", candidates),
        *urls_of(router.urls, "", candidates),
    ]
    secrets = identity_strings(application.enterprise)
    client.force_login(expert)
    reached, found = [], {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            reached.append(url)
        if problems := leaks(body_of(response), secrets):
            found[url] = problems
    assert found == {}
    # The sweep did reach what a panelist works with, with the content in place.
    sheet_url = reverse("selection:sheet-detail", args=[sheet.pk])
    api_detail = reverse("application-detail", args=[application.pk])
    financial = next(a for a in attachments if a.kind == "financial")
    for url in (
        sheet_url,
        reverse("selection:panel-home"),
        reverse("notifications:list"),
        reverse("notification-list"),
        reverse("score-sheet-detail", args=[sheet.pk]),
        api_detail,
        reverse("selection:attachment-download", args=[application.pk, financial.pk]),
    ):
        assert url in reached
    page = client.get(sheet_url).content.decode()
    assert "【申请单位】（简称【申请单位】、【申请单位】）自主研发隐私计算平台" in page
    assert "数字科技赋能制造业" in page  # generic words stay
    assert f"附件-{financial.pk}.pdf" in page
    data = client.get(api_detail).json()
    assert data["innovation_summary"].startswith("【申请单位】（简称【申请单位】、【申请单位】）")
    assert "【统一社会信用代码】" in data["innovation_summary"]
    assert data["enterprise"] is None
    assert Notification.objects.filter(recipient=expert).exists()


# --- redaction ------------------------------------------------------------------------


def test_redact_replaces_name_short_forms_code_website_and_contact():
    enterprise = applicant()
    terms = blind.identity_terms(enterprise)
    text = (
        f"浙江省{NAME}即云栖数智（云栖），代码 {enterprise.uscc.lower()}，"
        "网址 https://www.yunqi-tech.cn/ 与 Yunqi-Tech，联系 李云舟 057188886666。"
    )
    assert blind.redact(text, terms) == (
        "浙江省【申请单位】即【申请单位】（【申请单位】），代码 【统一社会信用代码】，"
        "网址 【网址】 与 【网址】，联系 【联系人】 【联系人】。"
    )


def test_redact_keeps_generic_words_and_other_companies():
    terms = blind.identity_terms(applicant())
    text = "数字科技企业与杭州数创信息技术有限公司合作，服务数字经济。"
    assert blind.redact(text, terms) == text


def test_short_names_drop_region_legal_form_and_industry_words():
    prefixes = blind.region_prefixes()
    assert blind.short_names("云栖数智科技（杭州）有限公司", prefixes) == [
        "云栖数智科技（杭州）有限公司",
        "云栖数智科技(杭州)有限公司",
        "云栖数智科技有限公司",
        "云栖数智科技",
        "云栖数智",
        "云栖",
    ]
    # A name whose "region" is its trade name keeps it.
    assert "医疗科技" not in blind.short_names("安康医疗科技有限公司", prefixes)


def test_redacted_placeholders_follow_the_reader_language():
    from django.utils import translation

    terms = blind.identity_terms(applicant())
    with translation.override("en"):
        assert blind.redact(f"{NAME} 创新", terms) == "[applicant] 创新"


# --- attachments ----------------------------------------------------------------------


def test_identity_documents_are_404_for_panelists_in_every_round(client):
    expert = panelist()
    for hide_names, region_code in ((True, "330000"), (False, "330100")):
        _round, application, _owner, [member] = review_round(
            hide_names=hide_names, region_code=region_code, experts=[expert],
            enterprise=EnterpriseFactory(region=region("330100")),
        )  # fmt: skip
        assign(application, member)
        client.force_login(expert)
        for attachment in application.attachments.all():
            url = reverse("selection:attachment-download", args=[application.pk, attachment.pk])
            response = client.get(url)
            if attachment.kind in ("business_licence", "identity", "authorisation"):
                assert response.status_code == 404
            else:
                assert response.status_code == 200
                expected = f"附件-{attachment.pk}.pdf" if hide_names else attachment.original_name
                assert expected in unquote(response["Content-Disposition"])


def test_staff_and_owner_get_real_names_and_every_attachment(client):
    expert = panelist()
    selection_round, application, owner, [member] = review_round(hide_names=True, experts=[expert])
    assign(application, member)
    for user in (selection_round.created_by, owner):
        client.force_login(user)
        page = client.get(reverse("selection:application-detail", args=[application.pk]))
        text = page.content.decode()
        assert NAME in text and "自主研发隐私计算平台" in text
        for attachment in application.attachments.all():
            assert attachment.original_name in text
            response = client.get(
                reverse("selection:attachment-download", args=[application.pk, attachment.pk])
            )
            assert response.status_code == 200
            assert attachment.original_name in unquote(response["Content-Disposition"])
    client.force_login(selection_round.created_by)
    data = client.get(reverse("application-detail", args=[application.pk])).json()
    assert data["enterprise_name"] == NAME
    assert data["innovation_summary"].startswith(NAME)


def test_an_unassigned_or_conflicted_expert_gets_404_everywhere(client):
    assigned, outsider = panelist(), panelist()
    _round, application, _owner, [member, other] = review_round(
        hide_names=True, experts=[assigned, outsider]
    )
    sheet = assign(application, member)
    licence, financial = (
        application.attachments.get(kind=k) for k in ("business_licence", "financial")
    )
    urls = [
        reverse("selection:sheet-detail", args=[sheet.pk]),
        reverse("selection:application-detail", args=[application.pk]),
        reverse("selection:attachment-download", args=[application.pk, financial.pk]),
        reverse("selection:attachment-download", args=[application.pk, licence.pk]),
        reverse("application-detail", args=[application.pk]),
        reverse("score-sheet-detail", args=[sheet.pk]),
    ]
    client.force_login(outsider)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    client.force_login(assigned)
    client.post(
        reverse("selection:conflict-declare", args=[sheet.pk]),
        {"kind": "competitor", "detail": "本人任职企业与其直接竞争"},
    )
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_an_attachment_needs_a_kind():
    selection_round = make_round()
    enterprise = EnterpriseFactory(region=region("330100"))
    member = enterprise_user(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    with pytest.raises(DomainError, match="材料类型"):
        app_services.add_attachment(
            application, actor=member, upload=SimpleUploadedFile("a.pdf", PDF), kind=""
        )
    assert not application.attachments.exists()


def test_earlier_uploads_are_classified_by_name_and_unknown_ones_kept_from_the_panel():
    migration = importlib.import_module(
        "selection.migrations.0006_attachment_kind_and_cross_round_conflict"
    )
    selection_round = make_round()
    enterprise = EnterpriseFactory(region=region("330100"))
    member = enterprise_user(enterprise)
    application = app_services.start_application(
        actor=member, enterprise=enterprise, selection_round=selection_round
    )
    names = [
        "营业执照扫描件.pdf",
        "法人身份证.pdf",
        "2025审计报告.pdf",
        "发明专利.pdf",
        "scan01.pdf",
    ]
    for name in names:
        app_services.add_attachment(
            application, actor=member, upload=SimpleUploadedFile(name, PDF), kind="other"
        )
    from django.apps import apps

    migration.classify_existing(apps, None)
    kinds = dict(application.attachments.values_list("original_name", "kind"))
    assert kinds == {
        "营业执照扫描件.pdf": "business_licence",
        "法人身份证.pdf": "identity",
        "2025审计报告.pdf": "financial",
        "发明专利.pdf": "ip",
        "scan01.pdf": "identity",
    }


# --- conflicts are per round ----------------------------------------------------------


def test_a_recusal_in_one_round_keeps_the_sheets_of_another_round(client):
    expert = panelist()
    enterprise = applicant()
    _a, application_a, _o, [member_a] = review_round(
        hide_names=True, region_code="330000", enterprise=enterprise, experts=[expert]
    )
    _b, application_b, _o, [member_b] = review_round(
        hide_names=True, region_code="330100", enterprise=enterprise, experts=[expert]
    )
    sheet_a, sheet_b = assign(application_a, member_a), assign(application_b, member_b)
    client.force_login(expert)
    client.post(
        reverse("selection:conflict-declare", args=[sheet_a.pk]),
        {"kind": "other", "detail": "曾为该企业提供咨询"},
    )
    assert client.get(reverse("selection:sheet-detail", args=[sheet_a.pk])).status_code == 404
    assert client.get(reverse("selection:sheet-detail", args=[sheet_b.pk])).status_code == 200
    listed = [row["id"] for row in client.get(reverse("application-list")).json()["results"]]
    assert listed == [application_b.pk]
    assert ConflictOfInterest.objects.get().panel_member == member_a


def test_reviewing_the_same_applicant_named_and_blind_is_a_detected_conflict(client):
    expert = panelist()
    enterprise = applicant()
    _named, application_named, _o, [member_named] = review_round(
        hide_names=False, region_code="330100", enterprise=enterprise, experts=[expert]
    )
    assign(application_named, member_named)
    blind_round, application_blind, _o, [member_blind] = review_round(
        hide_names=True, region_code="330000", enterprise=enterprise, experts=[expert]
    )
    conflict = ConflictOfInterest.objects.get(panel_member=member_blind)
    assert (conflict.kind, conflict.source, conflict.enterprise) == (
        ConflictKind.CROSS_ROUND, "detected", enterprise
    )  # fmt: skip
    bureau = blind_round.created_by
    with pytest.raises(DomainError, match="利益冲突"):
        panel_services.assign_manually(application_blind, actor=bureau, member=member_blind)
    panel_services.auto_assign(blind_round, actor=bureau)
    assert not Assignment.objects.filter(panel_member=member_blind).exists()
    client.force_login(bureau)
    page = client.get(reverse("selection:panel-manage", args=[blind_round.pk])).content.decode()
    assert "跨轮次可识别" in page
    # Staff may accept the risk, with a reason; the named sheet is never touched.
    panel_services.dismiss_conflict(conflict, actor=bureau, reason="两轮评审年度相隔五年，数据不同")
    application_blind.refresh_from_db()  # auto_assign moved it to under review
    assign(application_blind, member_blind)
    panel_services.detect_conflicts(blind_round)
    assert Assignment.objects.filter(panel_member__user=expert).count() == 2


def test_cross_round_is_not_a_kind_a_panelist_declares(client):
    from selection.forms_panel import DeclareConflictForm

    choices = [value for value, _label in DeclareConflictForm().fields["kind"].choices]
    assert "cross_round" not in choices and "relative" in choices


# --- aggregates -----------------------------------------------------------------------


def run_and_confirm(selection_round):
    with TestCase.captureOnCommitCallbacks(execute=True):
        tiering.start_tiering(selection_round, actor=selection_round.created_by)
    return tiering.confirm_results(selection_round, actor=selection_round.created_by)


def test_a_panelist_never_sees_aggregates_even_after_results_are_confirmed(client):
    selection_round, [application] = tiering_round([[90, 80, 70, 60, 85]])
    run_and_confirm(selection_round)
    application.refresh_from_db()
    assert application.final_score is not None
    sheet = ScoreSheet.objects.filter(assignment__application=application).first()
    expert = sheet.assignment.panel_member.user
    client.force_login(expert)
    listed = client.get(reverse("application-list")).json()["results"]
    detail = client.get(reverse("application-detail", args=[application.pk])).json()
    assert [row["result"] for row in listed] == [None] and detail["result"] is None
    for text in (str(listed), str(detail)):
        assert "final_score" not in text and "panel_score" not in text
    assert (
        str(application.final_score)
        not in client.get(reverse("selection:sheet-detail", args=[sheet.pk])).content.decode()
    )
    own = client.get(reverse("score-sheet-list")).json()["results"]
    assert [row["id"] for row in own] == [sheet.pk]  # their own sheet, nobody else's
    # The enterprise still sees its confirmed result.
    client.force_login(application.enterprise.memberships.get().user)
    result = client.get(reverse("application-detail", args=[application.pk])).json()["result"]
    assert result["final_score"] == str(application.final_score)


# --- notifications --------------------------------------------------------------------


def test_notices_to_a_blind_panel_are_redacted_and_to_a_named_panel_are_not():
    expert = panelist()
    blind_round, application, _o, _m = review_round(hide_names=True, experts=[expert])
    named_round = make_round(region_code="330100")
    for selection_round in (blind_round, named_round):
        panel_services.notify_panel(
            selection_round,
            [expert],
            title=f"请评审{application.enterprise.name}",
            body=f"网址 {WEBSITE}",
        )
    titles = list(
        Notification.objects.filter(recipient=expert, title__startswith="请评审")
        .order_by("id")
        .values_list("title", "body")
    )
    assert titles == [("请评审【申请单位】", "网址 【网址】"), (f"请评审{NAME}", f"网址 {WEBSITE}")]
