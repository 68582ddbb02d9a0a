"""One object of every kind the portal's URLs take ids of, seen by one user per role.

Built once per test module by tests/test_permission_matrix.py (and reused by the
schemathesis run). Regions: enterprise A and the "city" bureau are in 杭州市 (330100);
enterprise B and the "sibling city" bureau in 宁波市 (330200), the same province; the
"other province" bureau is 北京市 (110000); the national bureau is 全国 (000000).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role
from accounts.services import issue_api_token
from adjustment.models import AdjustmentProposal, AdjustmentRun
from policies.models import PolicyGrant
from policies.services import lifecycle as policy_services
from registry.choices import MembershipStatus
from registry.models import LabelAward
from registry.services import records as record_services
from registry.services import reports as report_services
from registry.services import transfers, verification
from reports.exports import services as export_services
from reports.exports.spec import spec_named
from reports.services import annual as annual_reports
from reports.services import certificates, round_documents
from resources.services import changes as resource_changes
from selection.choices import RoundStatus
from selection.models import SelectionRound
from selection.services import conflicts as conflict_services
from selection.services import notice as notice_services
from selection.services import panel as panel_services
from selection.services import rounds as round_services
from tests.adjustment.test_adjustment import in_registry
from tests.adjustment.test_adjustment import run as run_adjustment
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    DataResourceFactory,
    EnterpriseFactory,
    MembershipFactory,
    PolicyFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.finance.world import finance_world
from tests.scenarios.world import scenario_world
from tests.selection.helpers import (
    AFFILIATIONS,
    PDF,
    close_window,
    eligible_application,
    make_round,
    score_sheet,
)
from tests.selection.test_tiering import confirmed_round
from tests.vouchers.world import voucher_world

ROLES = [
    "anonymous",
    "enterprise_a",
    "enterprise_b",
    "unverified_enterprise",
    "city_bureau",
    "sibling_city_bureau",
    "other_province_bureau",
    "national_bureau",
    "panelist_assigned",
    "panelist_conflicted",
    "institution",
    "provider",
    "publisher",
    "admin",
]


def _blind_panel_round(city, a, member_a):
    """A blind round of 杭州市 in panel review: A's application is assigned to
    `assigned` (and two more experts, one of whom has submitted and then reported a
    conflict); `conflicted` declared a conflict with it and never sees it."""
    selection_round = make_round(bureau=city, region_code="330100")
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        panelists_per_application=3, hide_enterprise_names=True
    )
    selection_round.refresh_from_db()
    application, _member = eligible_application(selection_round, enterprise=a, member=member_a)
    members = [
        panel_services.add_panel_member(
            selection_round,
            actor=city,
            user=UserFactory(role=Role.PANELIST, full_name=f"专家{n}"),
            affiliation=AFFILIATIONS[n % len(AFFILIATIONS)],
        )
        for n in range(4)
    ]
    assigned, conflicted, reporter = members[0], members[3], members[1]
    conflict = conflict_services.declare_conflict(
        conflicted,
        actor=conflicted.user,
        application=application,
        kind="competitor",
        detail="同一细分市场的竞争企业。",
    )
    close_window(selection_round)
    for step in (RoundStatus.FORMAL_REVIEW, RoundStatus.PANEL_REVIEW):
        selection_round = round_services.set_round_status(selection_round, step, actor=city)
    panel_services.auto_assign(selection_round, actor=city)
    sheet = assigned.assignments.get(application=application).sheet
    reporter_sheet = reporter.assignments.get(application=application).sheet
    score_sheet(reporter_sheet, 80)
    reporter.refresh_from_db()  # its round has moved on since it was seated
    report = conflict_services.report_conflict(
        reporter,
        actor=reporter.user,
        application=application,
        kind="relative",
        detail="评分后发现近亲属在该企业任职。",
    )
    return {
        "round": selection_round,
        "application": application,
        "attachment": application.attachments.get(),
        "assignment": sheet.assignment,
        "panel_member": assigned,
        "sheet": sheet,
        "conflict": conflict,
        "conflict_report": report,
        "panelist_assigned": assigned.user,
        "panelist_conflicted": conflicted.user,
    }


def build_world() -> dict:
    """Every object and one user per role (ROLES; "anonymous" is None)."""
    city = BureauUserFactory(region=region("330100"))
    entry_a = in_registry(revenue=Decimal("20000000"))  # 杭州市, an upgrade proposal
    a = entry_a.enterprise
    a.name = "A 数科"
    a.save(update_fields=["name"])
    b = registry_enterprise("330200", name="B 数科")
    member_a, member_b = enterprise_user(a), enterprise_user(b)
    # A self-registered enterprise its staff have not verified yet, with its licence uploaded.
    unverified_enterprise = EnterpriseFactory(
        region=region("330100"), name="未核验数科", verification_status="unverified"
    )
    unverified = enterprise_user(unverified_enterprise)
    document = verification.upload_document(
        unverified_enterprise, actor=unverified, kind="licence",
        upload=SimpleUploadedFile("营业执照.pdf", PDF),
    )  # fmt: skip

    run_adjustment(city)
    proposal = AdjustmentProposal.objects.get(entry=entry_a)
    adjustment_run = AdjustmentRun.objects.get()

    panel = _blind_panel_round(city, a, member_a)
    noticed_round, noticed_apps = confirmed_round()
    noticed = next(app for app in noticed_apps if app.proposed_tier)
    objection = notice_services.file_objection(
        noticed,
        actor=member_b,
        reason="该企业近三年研发费用数据与年报明显不符。",
        evidence=SimpleUploadedFile("年报.pdf", PDF),
    )

    policy = PolicyFactory(created_by=city, jurisdiction=region("330100"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        policy_services.publish_policy(policy, actor=city)
    grant = PolicyGrant.objects.get(policy=policy, enterprise=a)

    resource = DataResourceFactory(enterprise=a, applied_by=member_a)
    coded = DataResourceFactory(enterprise=a, applied_by=member_a, status="coded")
    revision = resource_changes.request_cancellation(
        coded, actor=member_a, reason="该数据集已停止采集。"
    )

    report = a.annual_reports.get(year=2025)
    service = report_services.log_service(
        a,
        actor=city,
        kind="policy",
        served_on=datetime.date(2026, 3, 2),
        notes="讲解研发费用加计扣除。",
        follow_up_on=datetime.date(2026, 6, 1),
    )
    record = record_services.add_record(
        a,
        actor=city,
        kind="dishonesty",
        occurred_on=datetime.date(2026, 2, 1),
        source="信用中国",
    )
    label = LabelAward.objects.create(
        enterprise=a, label="gazelle", granted_on=datetime.date(2026, 5, 1), source="测试"
    )
    certificate = certificates.issue_certificate(entry_a, actor=city)
    annual_run = annual_reports.run_annual_report(
        annual_reports.start_annual_report(region("330100"), 2025, actor=city)
    )
    round_document = round_documents.run_round_document(
        round_documents.start_round_document(panel["round"], "results", actor=city)
    )
    pending = MembershipFactory(enterprise=a, status=MembershipStatus.PENDING)
    # Hangzhou's staff move A to Beijing: a request for Beijing's staff to decide.
    transfer = transfers.request_transfer(
        a, actor=city, to_region=region("110000"), reason="企业注册地迁至北京。"
    )

    export = export_services.start_export(
        spec_named("enterprises"), actor=city, query="", columns=(), fmt="csv", background=True
    )
    export_services.run_export(export.pk)  # the job, as the worker would run it
    vouchers = voucher_world(city=city, member_a=member_a, enterprise_a=a)
    finance = finance_world(city=city, member_a=member_a, enterprise_a=a)
    scenarios = scenario_world(city=city, member_a=member_a, enterprise_a=a)

    users = {
        "anonymous": None,
        "enterprise_a": member_a,
        "enterprise_b": member_b,
        "unverified_enterprise": unverified,
        "city_bureau": city,
        "sibling_city_bureau": BureauUserFactory(region=region("330200")),
        "other_province_bureau": BureauUserFactory(region=region("110000")),
        "national_bureau": BureauUserFactory(region=region("000000")),
        "panelist_assigned": panel["panelist_assigned"],
        "panelist_conflicted": panel["panelist_conflicted"],
        "institution": finance.pop("institution_user"),  # of an approved bank
        "provider": vouchers.pop("provider_user"),  # of a registered provider
        "publisher": scenarios.pop("publisher_user"),  # of an approved publisher
        "admin": AdminUserFactory(),
    }
    assert list(users) == ROLES
    return {
        "users": users,
        "api_token": issue_api_token(user=member_a)[0],
        "enterprise": a,
        "membership": pending,
        "member_a_membership": member_a.memberships.get(),
        "unverified_enterprise": unverified_enterprise,
        "document": document,
        "transfer": transfer,
        "export": export,
        "report": report,
        "service": service,
        "record": record,
        "label": label,
        "proposal": proposal,
        "adjustment_run": adjustment_run,
        "policy": policy,
        "grant": grant,
        "resource": resource,
        "revision": revision,
        "objection": objection,
        "certificate_code": certificate.code,
        "annual_run": annual_run,
        "round_document_run": round_document,
        "noticed_application": noticed,
        "noticed_round": noticed_round,
        "reset": (
            urlsafe_base64_encode(force_bytes(member_a.pk)),
            default_token_generator.make_token(member_a),
        ),  # fmt: skip
        **{k: v for k, v in panel.items() if not k.startswith("panelist_")},
        **vouchers,
        **finance,
        **scenarios,
    }
