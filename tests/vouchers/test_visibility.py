"""visible_to per model: an enterprise its own, a provider its own and what is presented
to it, staff their jurisdiction and below, admins all, other roles nothing."""

import pytest

from accounts.models import Role
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.vouchers.factories import file_claim, issue, make_provider, world
from vouchers.models import (
    Claim,
    EnterpriseYearCap,
    LedgerEntry,
    Product,
    ProgramProvider,
    Provider,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)

pytestmark = pytest.mark.django_db
MODELS = [VoucherProgram, VoucherApplication, Voucher, Claim, LedgerEntry, EnterpriseYearCap]


@pytest.fixture
def two():
    a = world("330100", enterprise_region="330100")
    voucher = issue(a)
    claim = file_claim(a, voucher, "100")
    return a, voucher, claim


def test_enterprise_sees_own_not_another(two):
    a, voucher, claim = two
    other = enterprise_user(registry_enterprise("330100"))
    assert list(Voucher.objects.visible_to(a.member)) == [voucher]
    assert list(Claim.objects.visible_to(a.member)) == [claim]
    assert list(
        EnterpriseYearCap.objects.visible_to(a.member).values_list("enterprise", flat=True)
    ) == [a.enterprise.pk]
    for model in (VoucherApplication, Voucher, Claim, LedgerEntry, EnterpriseYearCap):
        assert not model.objects.visible_to(other).exists(), model
    assert list(VoucherProgram.objects.visible_to(other)) == [a.program]


def test_provider_sees_own_not_another(two):
    a, voucher, claim = two
    _other, other_user = make_provider()
    assert list(Voucher.objects.visible_to(a.provider_user)) == [voucher]
    assert list(Provider.objects.visible_to(a.provider_user)) == [a.provider]
    for model in (
        VoucherApplication,
        Voucher,
        Claim,
        LedgerEntry,
        EnterpriseYearCap,
        ProgramProvider,
    ):
        assert not model.objects.visible_to(other_user).exists(), model
    assert not Product.objects.visible_to(other_user).filter(provider=a.provider).exists()


def test_bureau_sees_own_jurisdiction_and_below_not_above_or_beside(two):
    a, voucher, claim = two
    province = BureauUserFactory(region=region("330000"))
    beside = BureauUserFactory(region=region("330200"))
    beijing = BureauUserFactory(region=region("110000"))
    for model in MODELS:
        assert model.objects.visible_to(a.staff).exists(), model
        assert model.objects.visible_to(province).exists(), model
        assert not model.objects.visible_to(beside).exists(), model
        assert not model.objects.visible_to(beijing).exists(), model


@pytest.mark.parametrize("role", [Role.PANELIST, Role.INSTITUTION, Role.PUBLISHER])
def test_other_roles_see_nothing(two, role):
    user = UserFactory(role=role)
    for model in (*MODELS, Provider, Product, ProgramProvider):
        assert not model.objects.visible_to(user).exists(), model


def test_admin_sees_all(two):
    admin = AdminUserFactory()
    for model in MODELS:
        assert model.objects.visible_to(admin).exists(), model


def test_enterprise_does_not_see_draft_programme():
    a = world("330100", enterprise_region="330100")
    from tests.vouchers.factories import program_values
    from vouchers.services.programs import create_program

    draft = create_program(actor=a.staff, **program_values(region("330100")))
    assert draft not in VoucherProgram.objects.visible_to(a.member)
    assert draft not in VoucherProgram.objects.visible_to(a.provider_user)
