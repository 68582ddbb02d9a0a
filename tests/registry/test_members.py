"""An enterprise's administrators: only they approve joiners, remove members and hand the
role on; the last administrator cannot leave while others stay."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from config.errors import DomainError
from registry.models import Membership
from registry.services import approve_membership, register_enterprise, request_membership
from registry.services import members as services
from tests.factories import (
    BureauUserFactory,
    EnterpriseFactory,
    MembershipFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """An enterprise with an administrator and two plain members."""
    enterprise = EnterpriseFactory(region=region("330100"))
    admin = MembershipFactory(enterprise=enterprise, status="active", is_admin=True).user
    alice = MembershipFactory(enterprise=enterprise, status="active").user
    bob = MembershipFactory(enterprise=enterprise, status="active").user
    return enterprise, admin, alice, bob


def membership(user):
    return Membership.objects.get(user=user)


def test_whoever_registers_an_enterprise_administers_it():
    from tests.registry.test_registration import account, profile

    enterprise = register_enterprise(account=account(), profile=profile())
    assert enterprise.memberships.get().is_admin


def test_only_an_administrator_approves_a_joiner(team):
    enterprise, admin, alice, _bob = team
    joiner = request_membership(
        account={"email": "new@example.cn", "phone": "13977776543", "full_name": "新人",
                 "password": "Str0ng#Pass2026"},
        uscc=enterprise.uscc,
    )  # fmt: skip
    with pytest.raises(DomainError):
        approve_membership(joiner, actor=alice)
    assert Membership.objects.get(pk=joiner.pk).status == "pending"
    assert approve_membership(joiner, actor=admin).status == "active"


def test_administrator_removes_a_member_with_a_reason(team):
    enterprise, admin, alice, _bob = team
    with pytest.raises(DomainError):
        services.remove_member(membership(alice), actor=admin, reason=" ")
    removed = services.remove_member(membership(alice), actor=admin, reason="已离职")
    assert (removed.status, removed.reason) == ("removed", "已离职")
    assert AuditEvent.objects.filter(
        action="membership.removed", object_id=str(removed.pk)
    ).exists()
    assert alice.notifications.filter(title__contains=enterprise.name).exists()


def test_the_first_approved_member_of_an_unadministered_enterprise_administers_it():
    enterprise = EnterpriseFactory(region=region("330100"))  # entered by staff, no members
    joiner = request_membership(
        account={"email": "first@example.cn", "phone": "13977776544", "full_name": "首位",
                 "password": "Str0ng#Pass2026"},
        uscc=enterprise.uscc,
    )  # fmt: skip
    approved = approve_membership(joiner, actor=BureauUserFactory(region=region("330000")))
    assert approved.is_admin and Membership.objects.get(pk=joiner.pk).is_admin


def test_a_plain_member_cannot_remove_or_hand_over(team):
    _enterprise, admin, alice, bob = team
    with pytest.raises(DomainError):
        services.remove_member(membership(bob), actor=alice, reason="x")
    with pytest.raises(DomainError):
        services.hand_over_admin(membership(bob), actor=alice)
    assert membership(bob).status == "active" and not membership(bob).is_admin
    assert membership(admin).is_admin


def test_hand_over_moves_the_role(team):
    _enterprise, admin, alice, _bob = team
    services.hand_over_admin(membership(alice), actor=admin)
    assert membership(alice).is_admin and not membership(admin).is_admin
    assert AuditEvent.objects.filter(action="membership.admin_handed_over").count() == 1


def test_the_last_administrator_cannot_leave_while_others_stay(team):
    enterprise, admin, alice, bob = team
    with pytest.raises(DomainError, match="最后一位企业管理员"):
        services.leave_enterprise(enterprise, actor=admin)
    assert membership(admin).status == "active"
    assert services.leave_enterprise(enterprise, actor=alice).status == "left"
    services.hand_over_admin(membership(bob), actor=admin)
    left = services.leave_enterprise(enterprise, actor=admin)
    assert (left.status, left.is_admin) == ("left", False)
    # Alone at last, the administrator may leave.
    assert services.leave_enterprise(enterprise, actor=bob).status == "left"


def test_an_administrator_cannot_be_anything_but_active_in_the_database(team):
    from django.db import IntegrityError, transaction

    _enterprise, _admin, alice, _bob = team
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=alice).update(is_admin=True, status="left")


def test_pages_offer_the_actions_to_the_administrator_only(client, team):
    enterprise, admin, alice, bob = team
    url = reverse("registry:enterprise-detail", args=[enterprise.pk])
    client.force_login(admin)
    page = client.get(url).content.decode()
    assert reverse("registry:member-remove", args=[membership(alice).pk]) in page
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert reverse("registry:member-remove", args=[membership(bob).pk]) not in page
    assert reverse("registry:enterprise-leave", args=[enterprise.pk]) in page
    # The POST the page hides is refused too.
    response = client.post(
        reverse("registry:member-remove", args=[membership(bob).pk]), {"reason": "x"}
    )
    assert response.status_code == 302 and membership(bob).status == "active"


def test_outsiders_get_404(client, team):
    enterprise, _admin, alice, _bob = team
    target = reverse("registry:member-remove", args=[membership(alice).pk])
    for user in (
        enterprise_user(),
        BureauUserFactory(region=region("110000")),
        UserFactory(role=Role.PANELIST),
    ):
        client.force_login(user)
        assert client.post(target, {"reason": "x"}).status_code == 404
        leave = reverse("registry:enterprise-leave", args=[enterprise.pk])
        assert client.post(leave).status_code == 404
    assert membership(alice).status == "active"
    client.logout()
    assert client.post(target, {"reason": "x"}).status_code == 302


def test_leaving_through_the_page(client, team):
    enterprise, _admin, alice, _bob = team
    client.force_login(alice)
    response = client.post(reverse("registry:enterprise-leave", args=[enterprise.pk]))
    assert response.status_code == 302 and membership(alice).status == "left"
