import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from registry import services
from registry.choices import MembershipStatus
from registry.models import Enterprise, Membership
from registry.uscc import make_uscc
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region

pytestmark = pytest.mark.django_db


def account(n=1, **extra):
    return {
        "full_name": "李娜",
        "email": f"lina{n}@example.cn",
        "phone": f"1380000{n:04d}",
        "password": "Strong#Pass2026",
        **extra,
    }


def profile(**extra):
    return {
        "uscc": make_uscc("330100", 4242),
        "name": "杭州云栖数智科技有限公司",
        "region": region("330100"),
        "industry": "03",
        "category": "tech",
        "founded_on": datetime.date(2019, 3, 1),
        "size": "small",
        "listing_status": "unlisted",
        "contact_name": "李娜",
        "contact_phone": "057188880000",
        "contact_email": "",
        "website": "",
        "description": "",
        **extra,
    }


def registration_post(**extra):
    data = {**account(), **profile(), "password2": "Strong#Pass2026", "declaration": "on"}
    data["region"] = data["region"].pk
    data["founded_on"] = "2019-03-01"
    data.update(extra)
    return data


def test_register_enterprise_creates_user_enterprise_and_membership():
    bureau = BureauUserFactory(region=region("330000"))
    enterprise = services.register_enterprise(account=account(), profile=profile())

    member = Membership.objects.get(enterprise=enterprise)
    assert member.status == MembershipStatus.ACTIVE
    assert member.user.role == Role.ENTERPRISE
    assert member.user.email == "lina1@example.cn"
    assert list(
        AuditEvent.objects.filter(enterprise=enterprise).values_list("action", flat=True)
    ) == ["enterprise.registered"]
    assert Notification.objects.filter(recipient=bureau).count() == 1


def test_register_enterprise_normalises_uscc():
    code = make_uscc("330100", 77)
    enterprise = services.register_enterprise(
        account=account(), profile=profile(uscc=" " + code.lower()[:9] + " " + code.lower()[9:])
    )
    assert enterprise.uscc == code


def test_register_enterprise_refuses_a_registered_uscc_and_creates_nothing():
    existing = EnterpriseFactory()
    users_before = User.objects.count()

    with pytest.raises(DomainError) as exc:
        services.register_enterprise(account=account(), profile=profile(uscc=existing.uscc.lower()))

    assert "已登记" in exc.value.message
    assert "申请加入企业" in exc.value.message
    assert Enterprise.objects.count() == 1
    assert User.objects.count() == users_before


def test_register_enterprise_refuses_wrong_check_character():
    code = make_uscc("330100", 5)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(DomainError, match="校验位"):
        services.register_enterprise(account=account(), profile=profile(uscc=wrong))
    assert not Enterprise.objects.exists()
    assert not User.objects.exists()


def test_register_enterprise_refuses_taken_email_and_rolls_back():
    services.register_enterprise(account=account(), profile=profile())
    with pytest.raises(DomainError, match="电子邮箱已注册"):
        services.register_enterprise(
            account=account(1, phone="13900001111"), profile=profile(uscc=make_uscc("330100", 9))
        )
    assert Enterprise.objects.count() == 1


def test_uscc_is_unique_in_the_database():
    from django.db import IntegrityError

    existing = EnterpriseFactory()
    with pytest.raises(IntegrityError):
        EnterpriseFactory(uscc=existing.uscc)


def test_registration_page_registers_and_logs_in(client):
    response = client.post(reverse("registry:register"), registration_post())
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:enterprise-detail", args=[enterprise.pk])
    assert client.get(response.url).status_code == 200


def test_registration_page_shows_inline_error_for_duplicate(client):
    existing = EnterpriseFactory()
    response = client.post(reverse("registry:register"), registration_post(uscc=existing.uscc))
    assert response.status_code == 200
    assert "已登记" in response.content.decode()
    assert Enterprise.objects.count() == 1


def test_registration_page_requires_declaration(client):
    data = registration_post()
    del data["declaration"]
    response = client.post(reverse("registry:register"), data)
    assert response.status_code == 200
    assert not Enterprise.objects.exists()


def test_registration_page_refuses_mismatched_passwords(client):
    response = client.post(reverse("registry:register"), registration_post(password2="Other#2026x"))
    assert "两次输入的密码不一致" in response.content.decode()
    assert not User.objects.exists()


def test_request_membership_creates_pending_and_notifies_members_and_bureau():
    enterprise = EnterpriseFactory(region=region("330100"))
    owner = enterprise_user(enterprise)
    bureau = BureauUserFactory(region=region("330100"))
    other_bureau = BureauUserFactory(region=region("310000"))

    membership = services.request_membership(
        account=account(2), uscc=enterprise.uscc, note="销售部"
    )

    assert membership.status == MembershipStatus.PENDING
    assert Notification.objects.filter(recipient=owner).count() == 1
    assert Notification.objects.filter(recipient=bureau).count() == 1
    assert not Notification.objects.filter(recipient=other_bureau).exists()


def test_request_membership_for_unknown_uscc_is_refused():
    with pytest.raises(DomainError, match="请先完成企业注册"):
        services.request_membership(account=account(), uscc=make_uscc("110000", 3))
    assert not User.objects.exists()


def test_member_approves_join_request():
    enterprise = EnterpriseFactory()
    owner = enterprise_user(enterprise)
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)

    services.approve_membership(membership, actor=owner)

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.decided_by == owner
    assert AuditEvent.objects.filter(action="membership.active", enterprise=enterprise).exists()
    assert Enterprise.objects.visible_to(membership.user).get() == enterprise


def test_bureau_of_the_region_approves_join_request():
    enterprise = EnterpriseFactory(region=region("330100"))
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    services.approve_membership(membership, actor=BureauUserFactory(region=region("330000")))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda e: BureauUserFactory(region=region("310000")),
        lambda e: enterprise_user(EnterpriseFactory()),
    ],
    ids=["other-region-bureau", "member-of-another-enterprise"],
)
def test_outsiders_cannot_approve_join_request(make_actor):
    enterprise = EnterpriseFactory(region=region("330100"))
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    with pytest.raises(DomainError, match="无权"):
        services.approve_membership(membership, actor=make_actor(enterprise))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


def test_applicant_cannot_approve_own_request():
    enterprise = EnterpriseFactory()
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    with pytest.raises(DomainError):
        services.approve_membership(membership, actor=membership.user)


def test_reject_needs_reason_and_is_final():
    enterprise = EnterpriseFactory()
    owner = enterprise_user(enterprise)
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    with pytest.raises(DomainError, match="理由"):
        services.reject_membership(membership, actor=owner, reason="  ")
    services.reject_membership(membership, actor=owner, reason="非本企业员工")
    membership.refresh_from_db()
    with pytest.raises(DomainError, match="不能再审核"):
        services.approve_membership(membership, actor=owner)
    assert membership.status == MembershipStatus.REJECTED
    assert mail.outbox == []  # e-mails go out on commit only; tests here never commit


def test_pending_member_sees_no_enterprise_data():
    enterprise = EnterpriseFactory()
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    assert not Enterprise.objects.visible_to(membership.user).exists()


def test_membership_page_decides_request(client):
    enterprise = EnterpriseFactory()
    owner = enterprise_user(enterprise)
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    client.force_login(owner)
    response = client.post(
        reverse("registry:membership-decide", args=[membership.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE


def test_membership_page_answers_404_for_invisible_request(client):
    enterprise = EnterpriseFactory(region=region("330100"))
    membership = services.request_membership(account=account(), uscc=enterprise.uscc)
    client.force_login(BureauUserFactory(region=region("110000")))
    response = client.post(
        reverse("registry:membership-decide", args=[membership.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PENDING


def test_join_page_submits_request(client):
    enterprise = EnterpriseFactory()
    data = {
        **account(),
        "password2": "Strong#Pass2026",
        "uscc": enterprise.uscc.lower(),
        "note": "",
    }
    response = client.post(reverse("registry:join"), data)
    assert response.status_code == 302
    assert Membership.objects.get(user__email="lina1@example.cn").status == MembershipStatus.PENDING


def test_concurrent_registration_of_same_uscc_loses_cleanly(monkeypatch):
    """A rival commits the same code after our check: the constraint decides, we explain."""
    code = make_uscc("330100", 4242)
    EnterpriseFactory(uscc=code, name="抢先注册的企业")
    real_check = services._uscc_taken
    calls = []

    def check(uscc):  # the first check ran before the rival's commit
        calls.append(uscc)
        return len(calls) > 1 and real_check(uscc)

    monkeypatch.setattr(services, "_uscc_taken", check)

    with pytest.raises(DomainError, match="已登记"):
        services.register_enterprise(account=account(), profile=profile(uscc=code))

    assert len(calls) == 2  # the insert hit the unique constraint
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["抢先注册的企业"]
    assert not User.objects.filter(email="lina1@example.cn").exists()


def test_timeline_shows_join_request_and_decision(client):
    enterprise = EnterpriseFactory(region=region("330100"))
    owner = enterprise_user(enterprise)
    membership = services.request_membership(account=account(), uscc=enterprise.uscc, note="销售部")
    services.reject_membership(membership, actor=owner, reason="非本企业员工")
    client.force_login(BureauUserFactory(region=region("330000")))
    response = client.get(reverse("registry:enterprise-detail", args=[enterprise.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-action="membership.requested"' in body
    assert "lina1@example.cn" in body
    assert "非本企业员工" in body
