"""The demo world as `make run` leaves it: read from one seeding per module (the
`demo_world` fixture of conftest.py), each test rolled back on its own. The seeding runs
themselves (on an empty database, a thousand enterprises) are in test_seed_demo.py."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import OrganisationKind, Role, User
from accounts.phone import is_valid_phone
from adjustment.models import AdjustmentProposal, AdjustmentRun, Appeal
from audit.models import AuditEvent
from demo import seed
from notifications.models import Notification
from policies.models import Policy, PolicyGrant
from policies.services.matching import nearly_qualified
from registry.choices import MembershipStatus
from registry.models import Enterprise, Membership, RegistryEntry, TierChange
from registry.uscc import validate_uscc
from resources.models import DataResource, DataResourceRevision
from selection.models import Application, SelectionRound

from .rows import row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_world")]


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_every_role_has_a_login_and_bureaus_have_their_regions():
    demo = User.objects.filter(email__endswith="@demo.cn")
    assert set(demo.values_list("role", flat=True)) == set(Role.values)
    bureaus = dict(demo.filter(role=Role.BUREAU).values_list("email", "region__code"))
    assert bureaus == {
        "national@demo.cn": "000000",
        "zhejiang@demo.cn": "330000",
        "hangzhou@demo.cn": "330100",
        "beijing@demo.cn": "110000",
        "shanghai@demo.cn": "310000",
    }
    for user in demo.filter(role=Role.BUREAU).select_related("organisation"):
        assert user.organisation.kind == OrganisationKind.BUREAU
        assert user.organisation.region == user.region
    admin = User.objects.get(email="admin@demo.cn")
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
    panel_kinds = set(demo.filter(role=Role.PANELIST).values_list("organisation__kind", flat=True))
    assert panel_kinds == {"university", "investment", "research", "government", "enterprise"}
    phones = list(demo.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones) and all(is_valid_phone(p) for p in phones)
    assert all(user.check_password(seed.DEMO_PASSWORD) for user in demo)


def test_named_enterprises_go_through_the_services():
    owners = Membership.objects.filter(user__email__in=["ent.hz@demo.cn", "ent.nb@demo.cn"])
    assert set(owners.values_list("status", flat=True)) == {MembershipStatus.ACTIVE}
    hangzhou = Membership.objects.get(user__email="ent.hz@demo.cn").enterprise
    assert hangzhou.region.code == "330100"
    pending = Membership.objects.get(user__email="ent.hz2@demo.cn")
    assert pending.status == MembershipStatus.PENDING and pending.enterprise == hangzhou
    assert AuditEvent.objects.filter(action="enterprise.registered").count() == len(seed.NAMED)
    joined = AuditEvent.objects.filter(action="membership.requested", enterprise=hangzhou)
    assert joined.count() == 1
    # Registration and the join request notify the bureaus; everyone gets a welcome.
    assert Notification.objects.filter(recipient__email="hangzhou@demo.cn").count() >= 3
    assert not User.objects.filter(email__endswith="@demo.cn", notifications=None).exists()


def test_generated_enterprises_are_valid_varied_and_unique(demo_world):
    assert Enterprise.objects.count() == demo_world
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    assert [validate_uscc(code) for code in usccs] == usccs
    names = list(Enterprise.objects.values_list("name", flat=True))
    assert len(set(names)) == len(names)
    assert all(name.endswith("有限公司") for name in names)
    provinces = {code[:2] for code in Enterprise.objects.values_list("region__code", flat=True)}
    assert len(provinces) >= 6
    for field in ("industry", "category", "size", "listing_status"):
        assert Enterprise.objects.values(field).distinct().count() >= 3, field
    admitted = RegistryEntry.objects.count()
    assert 0.3 * demo_world <= admitted <= 0.5 * demo_world
    # one admission row each, plus the tier changes of the demo round that closed and
    # of the demo adjustments staff confirmed
    first_rows = TierChange.objects.filter(from_tier="")
    assert first_rows.count() == admitted
    later = TierChange.objects.exclude(from_tier="")
    assert later.filter(source__startswith="selection:").count() + later.filter(
        source__startswith="adjustment:"
    ).count() == (TierChange.objects.count() - admitted)
    assert later.filter(source__startswith="adjustment:").count() == 2
    assert set(RegistryEntry.objects.values_list("tier", flat=True)) == {
        "potential",
        "growth",
        "leading",
    }
    now = timezone.now()
    recent = Enterprise.objects.filter(created_at__gte=now - datetime.timedelta(days=7))
    assert 1 <= recent.count() <= 30
    assert Enterprise.objects.filter(created_at__lt=now - datetime.timedelta(days=365)).exists()
    assert not Enterprise.objects.filter(created_at__gt=now).exists()


def test_second_run_changes_no_counts(demo_world):
    before = row_counts()
    run("seed_demo", "--enterprises", str(demo_world))
    assert row_counts() == before


def test_once_on_a_seeded_database_creates_nothing():
    before = row_counts()
    out = run("seed_demo", "--once")
    assert "已存在" in out
    assert row_counts() == before


def test_demo_logins_prints_one_login_per_role():
    out = run("demo_logins")
    for role in Role:
        assert str(role.label) in out
    assert "zhejiang@demo.cn" in out and seed.DEMO_PASSWORD in out
    assert "打开 http://127.0.0.1:8000 登录。" in out


def test_demo_logins_prints_the_address_it_is_given():
    out = run("demo_logins", "--url", "http://127.0.0.1:8765")
    assert "打开 http://127.0.0.1:8765 登录。" in out
    assert "127.0.0.1:8000" not in out


def test_adjustment_shows_proposals_in_several_states_and_an_appeal():
    assert set(AdjustmentRun.objects.values_list("status", flat=True)) == {"done"}
    states = set(AdjustmentProposal.objects.values_list("status", flat=True))
    assert {"pending", "confirmed", "rejected"} <= states
    kinds = set(AdjustmentProposal.objects.values_list("kind", flat=True))
    assert {"upgrade", "exit", "graduate"} <= kinds
    appeal = Appeal.objects.get()
    assert appeal.status == "pending" and appeal.filed_by.email == "ent.zj@demo.cn"


def test_selection_rounds_show_several_states():
    statuses = dict(SelectionRound.objects.values_list("title", "status"))
    assert set(statuses.values()) == {
        "draft",
        "open",
        "formal_review",
        "panel_review",
        "tiering",
        "notice",
        "closed",
    }
    zhejiang = SelectionRound.objects.get(region__code="330000", year=2026)
    assert set(zhejiang.applications.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "returned",
        "resubmitted",
        "eligible",
        "ineligible",
    }
    submitted = Application.objects.exclude(status="draft")
    assert not submitted.filter(indicator_trace__isnull=True).exists()
    closed = SelectionRound.objects.get(status="closed")
    assert closed.applications.filter(status="admitted").exists()
    assert RegistryEntry.objects.filter(
        enterprise__applications__round=closed, enterprise__applications__status="admitted"
    ).exists()


def test_policies_seeded_with_grants_in_every_later_state():
    assert set(Policy.objects.values_list("status", flat=True)) == {
        "draft",
        "published",
        "withdrawn",
    }
    states = set(PolicyGrant.objects.values_list("status", flat=True))
    assert {"notified", "accepted", "delivered", "declined", "lapsed"} <= states
    assert PolicyGrant.objects.overdue().exists()
    demo = Enterprise.objects.get(memberships__user__email="ent.hz@demo.cn")
    modes = set(demo.grants.filter(status="notified").values_list("policy__mode", flat=True))
    assert modes == {"auto", "quick"}
    assert [p.title for p, _missing in nearly_qualified(demo)] == [
        "首台（套）数字装备奖补",
        "人才公寓租住权益",
        "数创“瞪羚”企业认定推荐",
    ]


def test_demo_resources_cover_every_state_and_the_demo_login_has_some():
    states = set(DataResource.objects.values_list("status", flat=True))
    assert states == {"applied", "accepted", "reviewed", "noticed", "coded", "returned",
                      "rejected", "cancelled"}  # fmt: skip
    assert DataResource.objects.count() == 15
    codes = list(DataResource.objects.exclude(code=None).values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 6  # five in force, one cancelled
    assert all(c.startswith("SJZY-") for c in codes)
    mine = DataResource.objects.filter(enterprise__memberships__user__email="ent.hz@demo.cn")
    assert mine.count() == 6
    assert set(DataResourceRevision.objects.values_list("kind", "status")) == {
        ("change", "pending"),
        ("correction", "approved"),
        ("cancellation", "approved"),
    }


def test_verification_stories_are_seeded(demo_world):
    from django.db.models import Count

    from registry.models import TransferRequest
    from registry.selectors import verification_queue

    statuses = dict(Enterprise.objects.values_list("verification_status").annotate(n=Count("id")))
    assert statuses == {"verified": demo_world - 2, "submitted": 1, "returned": 1}
    ningbo = Enterprise.objects.get(memberships__user__email="ent.nb@demo.cn")
    assert ningbo.verification_status == "submitted"
    assert sorted(ningbo.documents.values_list("kind", flat=True)) == ["authorisation", "licence"]
    assert not ningbo.applications.exists()
    zhejiang = User.objects.get(email="zhejiang@demo.cn")
    assert list(verification_queue(zhejiang)) == [ningbo]
    returned = Enterprise.objects.get(verification_status="returned")
    assert returned.verification_reason and returned.documents.count() == 2
    assert returned.memberships.get().user.email == "ent.returned@demo.cn"
    transfer = TransferRequest.objects.get()
    assert (transfer.status, transfer.from_region.code, transfer.to_region.code) == (
        "pending", "330100", "310000"
    )  # fmt: skip
    assert "ent.returned@demo.cn" in seed.other_logins()


def test_admitted_named_enterprises_have_certificates_and_one_annual_report_is_ready():
    from registry.models import RegistryEntry
    from reports.models import AnnualReportRun, Certificate
    from reports.services import certificates

    assert Certificate.objects.count() >= 1
    for certificate in Certificate.objects.select_related("entry"):
        assert certificate.entry.status == "active"
        assert certificates.verify(certificate.code).status == "valid"
    hz = RegistryEntry.objects.get(enterprise__memberships__user__email="ent.hz@demo.cn")
    assert Certificate.objects.current().filter(entry=hz).count() == 1
    run = AnnualReportRun.objects.get()
    assert (run.jurisdiction.code, run.status) == ("330100", "done")
    assert run.pages >= 2 and run.file


def test_vouchers_in_every_state():
    from vouchers.models import (
        ApplicationStatus,
        Claim,
        ClaimStatus,
        MembershipStatus,
        ProgramProvider,
        Provider,
        Voucher,
        VoucherApplication,
        VoucherProgram,
        VoucherStatus,
    )
    from vouchers.selectors import overdue_settlements, reconciliation

    programs = VoucherProgram.objects.all()
    assert set(programs.values_list("kind", flat=True)) == {"data", "algorithm", "compute"}
    assert set(programs.values_list("status", flat=True)) == {"draft", "published", "closed"}
    terms = {(p.kind, p.subsidy_ratio, p.annual_cap) for p in programs.exclude(status="draft")}
    assert ("compute", Decimal("0.2000"), Decimal("2000000.00")) in terms
    assert ("algorithm", Decimal("0.5000"), Decimal("5000000.00")) in terms
    assert ("data", Decimal("0.3000"), Decimal("2000000.00")) in terms
    assert programs.filter(startup_ratio=Decimal("0.6")).exists()
    assert any(p.remaining <= p.budget / 10 for p in programs.exclude(status="draft"))
    assert set(VoucherApplication.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    assert set(Voucher.objects.values_list("status", flat=True)) == set(VoucherStatus.values)
    assert set(Claim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    assert set(Claim.objects.values_list("claimant", flat=True)) == {"provider", "enterprise"}
    assert set(ProgramProvider.objects.values_list("status", flat=True)) == set(
        MembershipStatus.values
    )
    provider = Provider.objects.get(organisation__users__email="provider@demo.cn")
    assert provider.hub_node == "guizhou" and provider.products.count() >= 3
    assert Provider.objects.count() == 2
    assert overdue_settlements(User.objects.get(email="beijing@demo.cn")).exists()
    assert all(row["balanced"] for row in reconciliation(programs))


def test_scenario_recommendations_and_a_typical_case_for_the_demo_login():
    from scenarios.matching import recommend_scenarios
    from scenarios.models import Recommendation, RecommendationRun, TypicalCase

    member = User.objects.get(email="ent.hz@demo.cn")
    enterprise = Enterprise.objects.visible_to(member).get()
    titles = [m.obj.title for m in recommend_scenarios(enterprise)]
    assert "城市交通数据融合应用场景" in titles
    stored = Recommendation.objects.filter(enterprise=enterprise, notified_at__isnull=False)
    assert "城市交通数据融合应用场景" in stored.values_list("scenario__title", flat=True)
    # One notification per batch that had something for it, listing its scenarios.
    told = Notification.objects.filter(recipient=member, title__startswith="为您推荐")
    assert told.count() == stored.values("scenario__scenario_list").distinct().count()
    assert "城市交通数据融合应用场景" in told.values_list("body", flat=True)
    assert set(RecommendationRun.objects.values_list("status", flat=True)) == {"done"}
    case = TypicalCase.objects.public().get()
    assert (case.enterprise, case.award.outcome) == (enterprise, "succeeded")
