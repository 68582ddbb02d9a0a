"""The voucher pages, per role: who sees what, the forms' refusals beside their fields,
the actions through the services, and the query counts of the lists at 1 and 30 rows."""

import dataclasses
import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.factories import (
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.vouchers.factories import apply, file_claim, issue, make_provider, pdf, world
from vouchers.models import (
    Claim,
    LedgerEntry,
    Product,
    ProgramProvider,
    Provider,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)
from vouchers.services import claims as claim_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def _get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


# --- who may see what -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["vouchers:overview", "vouchers:program-list", "vouchers:application-list",
     "vouchers:voucher-list", "vouchers:claim-list"],
)  # fmt: skip
@pytest.mark.parametrize("role", [Role.PANELIST, Role.INSTITUTION, Role.PUBLISHER])
def test_lists_refuse_roles_outside_the_flow(client, name, role):
    assert _get(client, UserFactory(role=role), name).status_code == 403


def test_provider_user_without_organisation_is_refused(client):
    assert _get(client, UserFactory(role=Role.PROVIDER), "vouchers:overview").status_code == 403


def test_pages_of_each_party_render(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    for user in (w.staff, w.member, w.provider_user):
        for name, args in [
            ("vouchers:overview", ()),
            ("vouchers:program-list", ()),
            ("vouchers:program-detail", (w.program.pk,)),
            ("vouchers:application-list", ()),
            ("vouchers:application-detail", (voucher.application_id,)),
            ("vouchers:voucher-list", ()),
            ("vouchers:voucher-detail", (voucher.pk,)),
            ("vouchers:claim-list", ()),
            ("vouchers:claim-detail", (claim.pk,)),
        ]:
            response = _get(client, user, name, *args)
            assert response.status_code == 200, (user.role, name)
    for name in ("vouchers:program-dashboard", "vouchers:reconciliation"):
        args = (w.program.pk,) if name == "vouchers:program-dashboard" else ()
        assert _get(client, w.staff, name, *args).status_code == 200
        assert _get(client, w.member, name, *args).status_code == 403
        assert _get(client, w.provider_user, name, *args).status_code == 403


def test_another_enterprise_or_provider_gets_404(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    other_member = enterprise_user(registry_enterprise("110000"))
    _provider, other_provider_user = make_provider()
    for user in (other_member, other_provider_user):
        for name, pk in [
            ("vouchers:voucher-detail", voucher.pk),
            ("vouchers:claim-detail", claim.pk),
            ("vouchers:application-detail", voucher.application_id),
        ]:
            assert _get(client, user, name, pk).status_code == 404, (user.role, name)
    # Staff of another province do not see the programme's vouchers either.
    outsider = BureauUserFactory(region=region("330100"))
    assert _get(client, outsider, "vouchers:voucher-detail", voucher.pk).status_code == 404


def test_public_check_shows_only_code_status_remaining_expiry(client, w):
    voucher = issue(w, amount="100000")
    response = client.get(reverse("vouchers:check", args=[voucher.verification_token]))
    assert response.status_code == 200
    text = response.content.decode()
    assert voucher.code in text
    assert "20,000.00" in text  # remaining: 20 % of 100,000
    assert w.enterprise.name not in text
    assert w.provider.organisation.name not in text
    assert client.get(reverse("vouchers:check", args=["nope"])).status_code == 404


def test_voucher_page_shows_a_qr_code_that_opens_the_public_check(client, w):
    import base64
    import io

    import zxingcpp
    from PIL import Image

    voucher = issue(w, amount="100000")
    page = _get(client, w.member, "vouchers:voucher-detail", voucher.pk)
    qr = page.context["qr"]
    assert f'src="{qr}"' in page.content.decode()
    picture = Image.open(io.BytesIO(base64.b64decode(qr.split(",", 1)[1])))
    decoded = [result.text for result in zxingcpp.read_barcodes(picture)]
    check = reverse("vouchers:check", args=[voucher.verification_token])
    assert decoded == [f"http://testserver{check}"]


# --- the enterprise ----------------------------------------------------------------------


def test_program_list_shows_eligible_and_why_not(client, w):
    poor = VoucherProgram.objects.get(pk=w.program.pk)
    response = _get(client, w.member, "vouchers:program-list")
    eligibility = response.context["eligibility"]
    assert eligibility[poor.pk]["eligible"] is True
    assert "符合" in response.content.decode()
    VoucherProgram.objects.filter(pk=poor.pk).update(
        conditions={"all": [{"field": "revenue", "op": "gte", "value": 10**12}]}
    )
    response = _get(client, w.member, "vouchers:program-list")
    assert response.context["eligibility"][poor.pk]["eligible"] is False
    assert "暂不符合" in response.content.decode()


def _apply_data(w, **extra):
    today = timezone.localdate()
    return {
        "provider": w.provider.pk,
        "contract_number": "HT-PAGE-1",
        "contract_signed_on": today.isoformat(),
        "contract_starts_on": today.isoformat(),
        "contract_ends_on": (today + datetime.timedelta(days=180)).isoformat(),
        "contract_amount": "500000",
        "amount_sought": "100000",
        "contract_file": pdf(),
        f"qty_{w.product.pk}": "100",
        **extra,
    }


def test_enterprise_applies_through_the_form(client, w):
    client.force_login(w.member)
    url = reverse("vouchers:apply", args=[w.program.pk])
    assert client.get(url).status_code == 200
    page = client.get(url, {"provider": w.provider.pk})
    assert f"qty_{w.product.pk}" in page.content.decode()
    response = client.post(url, _apply_data(w))
    application = VoucherApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vouchers:application-detail", args=[application.pk])
    assert application.contract_number == "HT-PAGE-1"
    assert application.items[0]["quantity"] == "100"


def test_apply_refusals_sit_beside_their_field(client, w):
    client.force_login(w.member)
    url = reverse("vouchers:apply", args=[w.program.pk])
    too_long = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = client.post(url, _apply_data(w, contract_ends_on=too_long))
    assert response.status_code == 200
    assert response.context["form"].errors["contract_ends_on"] == ["合同期限不能超过 1 年。"]
    apply(w, number="HT-USED")
    response = client.post(url, _apply_data(w, contract_number="HT-USED"))
    assert list(response.context["form"].errors) == ["contract_number"]
    response = client.post(url, _apply_data(w, **{f"qty_{w.product.pk}": ""}))
    assert response.context["form"].errors[f"qty_{w.product.pk}"] == [
        "请至少填写一项服务产品及数量。"
    ]
    assert VoucherApplication.objects.count() == 1  # only HT-USED


def test_apply_offers_the_more_favourable_programme(client, w):
    from tests.vouchers.factories import program_values
    from vouchers.services import programs as program_services
    from vouchers.services import providers as provider_services

    better = program_services.create_program(
        actor=w.staff,
        **program_values(region("110000"), subsidy_ratio=Decimal("0.5000"), conditions={}),
    )
    better = program_services.publish_program(better, actor=w.staff)
    membership = provider_services.join_program(better, w.provider, actor=w.provider_user)
    provider_services.approve_membership(membership, actor=w.staff)
    client.force_login(w.member)
    url = reverse("vouchers:apply", args=[w.program.pk])
    response = client.post(url, _apply_data(w, amount_sought="500000"))
    assert response.status_code == 200
    assert response.context["better"].program == better
    assert response.context["better"].terms.granted == Decimal("250000.00")
    assert VoucherApplication.objects.count() == 0
    data = _apply_data(w, amount_sought="500000", this_program="on")
    response = client.post(url, data)
    assert response.status_code == 302
    assert VoucherApplication.objects.get().program == w.program


def test_enterprise_withdraws_its_application(client, w):
    application = apply(w)
    client.force_login(w.member)
    client.post(reverse("vouchers:application-withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_other_roles_cannot_withdraw(client, w):
    application = apply(w)
    client.force_login(w.staff)
    response = client.post(reverse("vouchers:application-withdraw", args=[application.pk]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "applied"


# --- the staff ---------------------------------------------------------------------------


def test_application_detail_shows_every_term_of_the_min(client, w):
    application = apply(w, amount="1000000", sought="900000")
    response = _get(client, w.staff, "vouchers:application-detail", application.pk)
    terms = response.context["terms"]
    assert terms["sought"] == Decimal("900000")
    assert terms["ratio_amount"] == Decimal("200000.00")
    assert terms["annual_remaining"] == Decimal("2000000.00")
    assert terms["contract_cap"] == Decimal("1000000.00")
    assert terms["budget_remaining"] == Decimal("10000000.00")
    assert terms["granted"] == Decimal("200000.00")
    assert terms["binding"] == "ratio_amount"
    assert 'data-testid="grant-terms"' in response.content.decode()


def test_staff_approve_issues_the_voucher(client, w):
    application = apply(w, amount="100000")
    client.force_login(w.staff)
    response = client.post(reverse("vouchers:application-act", args=[application.pk, "approve"]))
    voucher = Voucher.objects.get()
    assert response["Location"] == reverse("vouchers:voucher-detail", args=[voucher.pk])
    assert voucher.amount == Decimal("20000.00")


def test_return_without_reason_changes_nothing(client, w):
    application = apply(w)
    client.force_login(w.staff)
    client.post(reverse("vouchers:application-act", args=[application.pk, "return"]))
    application.refresh_from_db()
    assert application.status == "applied"


def test_staff_above_see_but_cannot_decide(client, w):
    application = apply(w)
    national = BureauUserFactory(region=region("000000"))
    response = _get(client, national, "vouchers:application-detail", application.pk)
    assert response.status_code == 200
    assert response.context["can_decide"] is False
    response = client.post(reverse("vouchers:application-act", args=[application.pk, "approve"]))
    assert response.status_code == 403
    assert not Voucher.objects.exists()


def test_enterprise_cannot_approve(client, w):
    application = apply(w)
    client.force_login(w.member)
    response = client.post(reverse("vouchers:application-act", args=[application.pk, "approve"]))
    assert response.status_code == 403
    assert not Voucher.objects.exists()


def test_claim_flow_through_the_pages(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.provider_user)
    url = reverse("vouchers:claim-file", args=[voucher.pk])
    form = client.get(url).context["form"]
    key = form.initial["idempotency_key"]
    data = {"idempotency_key": key, "invoice_number": "INV-1", "amount": "5000",
            "usage_quantity": "500", "usage_unit": "卡时"}  # fmt: skip
    first = client.post(url, {**data, "proof": pdf("p.pdf")})
    again = client.post(url, {**data, "proof": pdf("p.pdf")})  # the double submit
    claim = Claim.objects.get()
    assert first["Location"] == again["Location"] == reverse("vouchers:claim-detail",
                                                              args=[claim.pk])  # fmt: skip
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("5000.00")
    client.force_login(w.member)
    client.post(reverse("vouchers:claim-act", args=[claim.pk, "confirm"]))
    client.force_login(w.staff)
    client.post(reverse("vouchers:claim-act", args=[claim.pk, "verify"]))
    client.post(reverse("vouchers:claim-act", args=[claim.pk, "settle"]))
    client.post(reverse("vouchers:claim-act", args=[claim.pk, "settle"]))
    claim.refresh_from_db()
    assert claim.status == "settled"
    assert LedgerEntry.objects.filter(kind="spend").count() == 1


def test_claim_over_remaining_is_refused_beside_amount(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.provider_user)
    url = reverse("vouchers:claim-file", args=[voucher.pk])
    response = client.post(url, {"idempotency_key": "k1", "invoice_number": "INV-9",
                                 "amount": "20000.01", "usage_quantity": "1",
                                 "usage_unit": "卡时", "proof": pdf()})  # fmt: skip
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["amount"]
    assert not Claim.objects.exists()


def test_enterprise_cannot_file_in_discount_mode(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.member)
    assert client.get(reverse("vouchers:claim-file", args=[voucher.pk])).status_code == 403


def test_provider_cannot_settle(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    client.force_login(w.provider_user)
    response = client.post(reverse("vouchers:claim-act", args=[claim.pk, "settle"]))
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == "filed"


def test_overdue_settlement_flagged_and_counted(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    claim_services.confirm_claim(claim, actor=w.member)
    Claim.objects.filter(pk=claim.pk).update(settle_due_on=timezone.localdate()
                                             - datetime.timedelta(days=1))  # fmt: skip
    response = _get(client, w.staff, "vouchers:overview")
    assert response.context["overdue_claims"] == 1
    response = _get(client, w.staff, "vouchers:claim-list", overdue="true")
    assert list(response.context["page"]) == [claim]
    assert 'data-testid="overdue"' in response.content.decode()
    home = _get(client, w.staff, "home")
    assert home.context["cards"]["voucher_overdue_claims"] == 1


def test_program_create_publish_and_new_version(client, w):
    client.force_login(w.staff)
    today = timezone.localdate()
    data = {
        "kind": "data", "name": "数据券试点", "year": today.year, "description": "",
        "budget": "1000000", "subsidy_ratio": "0.3", "startup_ratio": "",
        "startup_age_years": "", "annual_cap": "200000", "contract_cap": "100000",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "validity_length": "6", "validity_unit": "month", "settlement_working_days": "10",
        "redemption_mode": "reimburse", "conditions": "",
    }  # fmt: skip
    bad = client.post(reverse("vouchers:program-create"), {**data, "startup_ratio": "0.1",
                                                           "startup_age_years": "3"})  # fmt: skip
    assert bad.status_code == 200
    assert list(bad.context["form"].errors) == ["startup_ratio"]
    response = client.post(reverse("vouchers:program-create"), data)
    program = VoucherProgram.objects.get(name="数据券试点")
    assert response["Location"] == reverse("vouchers:program-detail", args=[program.pk])
    assert program.jurisdiction == w.staff.region
    client.post(reverse("vouchers:program-act", args=[program.pk, "publish"]))
    program.refresh_from_db()
    assert program.status == "published"
    response = client.post(reverse("vouchers:program-edit", args=[program.pk]),
                           {**data, "contract_cap": "150000"})  # fmt: skip
    new = VoucherProgram.objects.get(previous=program)
    assert new.version == 2 and new.contract_cap == Decimal("150000.00")
    assert new.status == "draft"


def test_membership_approve_suspend_needs_reason(client, w):
    provider, puser = make_provider()
    membership = ProgramProvider.objects.create(program=w.program, provider=provider,
                                                applied_by=puser)  # fmt: skip
    client.force_login(w.staff)
    client.post(reverse("vouchers:membership-act", args=[membership.pk, "approve"]))
    membership.refresh_from_db()
    assert membership.status == "approved"
    client.post(reverse("vouchers:membership-act", args=[membership.pk, "suspend"]))
    membership.refresh_from_db()
    assert membership.status == "approved"
    client.post(reverse("vouchers:membership-act", args=[membership.pk, "suspend"]),
                {"reason": "服务质量投诉"})  # fmt: skip
    membership.refresh_from_db()
    assert membership.status == "suspended"


def test_dashboard_and_reconciliation(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    claim_services.confirm_claim(claim, actor=w.member)
    claim_services.verify_claim(claim, actor=w.staff)
    claim_services.settle_claim(claim, actor=w.staff)
    dash = _get(client, w.staff, "vouchers:program-dashboard", w.program.pk)
    assert 'data-testid="burn-down"' in dash.content.decode()
    assert [r["granted"] for r in dash.context["by_provider"]] == [Decimal("20000.00")]
    assert [r["label"] for r in dash.context["by_hub"]] == ["宁夏"]
    recon = _get(client, w.staff, "vouchers:reconciliation")
    assert [r["balanced"] for r in recon.context["programs"]] == [True]
    assert [r["balanced"] for r in recon.context["voucher_rows"]] == [True]
    assert "table-danger" not in recon.content.decode()


# --- the provider ------------------------------------------------------------------------


def test_provider_registers_adds_product_and_joins(client, w):
    from tests.vouchers.factories import provider_user

    user = provider_user()
    client.force_login(user)
    url = reverse("vouchers:provider-profile")
    bad = client.post(url, {"service_kinds": ["compute"], "hub_node": "nowhere"})
    assert "hub_node" in bad.context["form"].errors
    client.post(url, {"service_kinds": ["compute"], "hub_node": "gansu"})
    provider = Provider.objects.get(organisation=user.organisation)
    assert provider.hub_node == "gansu"
    line = {"kind": "compute", "name": "H800 卡时", "unit": "卡时"}
    client.post(reverse("vouchers:product-add"), {**line, "unit_price": "30"})
    product = Product.objects.get(provider=provider)
    client.post(reverse("vouchers:product-edit", args=[product.pk]), {**line, "unit_price": "28"})
    product.refresh_from_db()
    assert product.unit_price == Decimal("28.00") and product.is_active is False
    client.post(reverse("vouchers:program-join", args=[w.program.pk]))
    assert ProgramProvider.objects.get(provider=provider).status == "applied"
    # Another provider's product is not this one's to edit.
    assert client.get(reverse("vouchers:product-edit", args=[w.product.pk])).status_code == 404


def test_provider_verifies_a_code(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.provider_user)
    response = client.get(reverse("vouchers:verify"), {"code": voucher.code.lower()})
    assert response["Location"] == reverse("vouchers:voucher-detail", args=[voucher.pk])
    _p, other = make_provider()
    client.force_login(other)
    response = client.get(reverse("vouchers:verify"), {"code": voucher.code})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]


def test_provider_totals(client, w):
    voucher = issue(w, amount="100000")
    file_claim(w, voucher, "5000")
    response = _get(client, w.provider_user, "vouchers:overview")
    assert response.context["voucher_totals"]["amount"] == Decimal("20000.00")
    assert response.context["claim_totals"]["filed"] == 1


# --- query counts ------------------------------------------------------------------------


def _count(client, user, name, *args):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name, args=args)).status_code == 200
    return len(ctx)


def test_list_query_counts_do_not_grow_with_rows(client, w):
    from vouchers.models import VoucherProgram as P  # noqa: N814

    voucher = issue(w, amount="1000")
    file_claim(w, voucher, "10")
    users = (w.staff, w.member, w.provider_user)
    names = ("vouchers:program-list", "vouchers:application-list", "vouchers:voucher-list",
             "vouchers:claim-list")  # fmt: skip
    one = {(u.pk, n): _count(client, u, n) for u in users for n in names}
    for _ in range(29):
        v = issue(w, amount="1000")
        file_claim(w, v, "10")
    program = P.objects.get(pk=w.program.pk)
    for n in range(29):
        P.objects.create(**{f: getattr(program, f) for f in (
            "kind", "year", "jurisdiction", "budget", "subsidy_ratio", "annual_cap",
            "contract_cap", "opens_on", "closes_on", "validity_length", "validity_unit",
            "settlement_working_days", "redemption_mode", "conditions", "created_by",
            "published_at")}, name=f"计划{n}", status="published")  # fmt: skip
    many = {(u.pk, n): _count(client, u, n) for u in users for n in names}
    assert Voucher.objects.count() == 30
    assert many == one


# --- the enterprise's record -------------------------------------------------------------


def test_enterprise_page_timeline_and_report_show_vouchers_received(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.staff)
    page = client.get(reverse("registry:enterprise-detail", args=[w.enterprise.pk]))
    assert page.context["vouchers_received"] == {
        "n": 1, "amount": Decimal("20000.00"), "settled": Decimal("0.00")
    }  # fmt: skip
    text = page.content.decode()
    assert 'data-action="voucher.issued"' in text
    assert "1 张，合计 20000.00 元" in text
    client.force_login(w.member)
    form = client.get(reverse("registry:report-edit", args=[voucher.cap_year]))
    assert form.context["vouchers_received"]["n"] == 1
    assert 'data-testid="vouchers-received"' in form.content.decode()
    earlier = client.get(reverse("registry:report-edit", args=[voucher.cap_year - 1]))
    assert earlier.context["vouchers_received"]["n"] == 0


# --- corrections after a return ----------------------------------------------------------


def test_enterprise_resubmits_a_returned_application(client, w):
    from vouchers.services import applications as app_services

    application = apply(w, amount="100000")
    app_services.return_application(application, actor=w.staff, reason="请补充合同附件")
    client.force_login(w.member)
    url = reverse("vouchers:application-resubmit", args=[application.pk])
    form = client.get(url).context["form"]
    assert form.initial["contract_number"] == application.contract_number
    data = _apply_data(w, contract_number=application.contract_number, contract_amount="100000",
                       amount_sought="100000", contract_file="")  # fmt: skip
    data.pop("contract_file")
    response = client.post(url, data)
    assert response["Location"] == reverse("vouchers:application-detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "applied"
    assert application.contract_file  # the first file kept


def test_resubmit_refused_for_an_application_not_returned(client, w):
    application = apply(w)
    client.force_login(w.member)
    response = client.get(reverse("vouchers:application-resubmit", args=[application.pk]))
    assert response["Location"] == reverse("vouchers:application-detail", args=[application.pk])
    client.force_login(w.provider_user)
    response = client.get(reverse("vouchers:application-resubmit", args=[application.pk]))
    assert response.status_code == 403


def test_provider_resubmits_a_returned_claim_for_less(client, w):
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    claim_services.return_claim(claim, actor=w.staff, reason="发票金额与用量不符")
    client.force_login(w.provider_user)
    url = reverse("vouchers:claim-resubmit", args=[claim.pk])
    assert client.get(url).context["form"].initial["amount"] == Decimal("5000.00")
    response = client.post(url, {"idempotency_key": claim.idempotency_key,
                                 "invoice_number": claim.invoice_number, "amount": "4000",
                                 "usage_quantity": "400", "usage_unit": "卡时"})  # fmt: skip
    assert response["Location"] == reverse("vouchers:claim-detail", args=[claim.pk])
    claim.refresh_from_db()
    voucher.refresh_from_db()
    assert (claim.status, claim.amount, voucher.claimed) == (
        "filed", Decimal("4000.00"), Decimal("4000.00"),
    )  # fmt: skip
    client.force_login(w.member)
    assert client.get(url).status_code == 403


def test_pages_read_in_english(client, w):
    voucher = issue(w, amount="100000")
    client.force_login(w.staff)
    url = reverse("vouchers:application-detail", args=[voucher.application_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Granted amount (the smallest of the above)" in page
    assert "核定金额" not in page
    client.force_login(w.member)
    page = client.get(reverse("vouchers:program-list"), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Eligible?" in page.decode()


def test_cap_reconciliation_flags_a_mismatch_in_one_query(client, w):
    from vouchers.models import EnterpriseYearCap
    from vouchers.selectors import cap_reconciliation

    issue(w, amount="100000")
    other = registry_enterprise("110000")
    issue(dataclasses.replace(w, enterprise=other, member=enterprise_user(other)), amount="50000")
    caps = list(EnterpriseYearCap.objects.order_by("enterprise_id"))
    with CaptureQueriesContext(connection) as queries:
        rows = cap_reconciliation(caps)
    assert len(queries) == 1
    assert [(r["ledger_used"], r["balanced"]) for r in rows] == [
        (caps[0].used, True),
        (caps[1].used, True),
    ]
    assert caps[0].used > 0 and caps[1].used > 0
    EnterpriseYearCap.objects.filter(pk=caps[0].pk).update(used=Decimal("1.00"))
    recon = _get(client, w.staff, "vouchers:reconciliation")
    flags = {r["cap"].pk: r["balanced"] for r in recon.context["cap_rows"]}
    assert flags == {caps[0].pk: False, caps[1].pk: True}
    assert "table-danger" in recon.content.decode()


def test_provider_declares_a_related_party_on_its_profile(client, w):
    from vouchers.models import RelatedParty

    url = reverse("vouchers:related-party-add")
    client.force_login(w.provider_user)
    bad = client.post(url, {"kind": "shareholding", "uscc": "123"})
    assert bad.status_code == 200 and "uscc" in bad.context["related_form"].errors
    assert not RelatedParty.objects.exists()
    done = client.post(url, {"kind": "group", "uscc": w.enterprise.uscc, "note": "同属一个集团"})
    assert done.status_code == 302
    page = client.get(reverse("vouchers:provider-profile")).content.decode()
    assert w.enterprise.uscc in page and "同属一个集团" in page
    again = client.post(url, {"kind": "group", "uscc": w.enterprise.uscc})
    assert "uscc" in again.context["related_form"].errors
    assert RelatedParty.objects.count() == 1
    for user in (w.member, w.staff):
        assert _get(client, user, "vouchers:provider-profile").status_code == 403
        client.force_login(user)
        assert client.post(url, {"kind": "group", "uscc": w.enterprise.uscc}).status_code == 403


def _program_data(**extra):
    today = timezone.localdate()
    return {
        "kind": "data", "name": "数据券（条件）", "year": today.year, "description": "",
        "budget": "1000000", "subsidy_ratio": "0.3", "startup_ratio": "",
        "startup_age_years": "", "annual_cap": "200000", "contract_cap": "100000",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "validity_length": "6", "validity_unit": "month", "settlement_working_days": "10",
        "redemption_mode": "reimburse", "conditions": "", "elig-g0-join": "all", **extra,
    }  # fmt: skip


def test_program_eligibility_is_written_in_the_condition_builder(client, w):
    client.force_login(w.staff)
    url = reverse("vouchers:program-create")
    row = {"elig-ra1-group": "0", "elig-ra1-field": "revenue", "elig-ra1-op": "gte"}
    bad = client.post(url, _program_data(**row, **{"elig-ra1-value": "很多"}))
    assert bad.status_code == 200 and "conditions" in bad.context["form"].errors
    assert 'value="很多"' in bad.content.decode()  # the row comes back as it was left
    assert not VoucherProgram.objects.filter(name="数据券（条件）").exists()
    client.post(url, _program_data(**row, **{"elig-ra1-value": "1000000"}))
    program = VoucherProgram.objects.get(name="数据券（条件）")
    assert program.conditions == {"all": [{"field": "revenue", "op": "gte", "value": "1000000"}]}
    edit = client.get(reverse("vouchers:program-edit", args=[program.pk])).content.decode()
    assert 'name="elig-g0-join"' in edit and 'value="1000000"' in edit
    # No row at all: no condition (every verified enterprise of the area may apply).
    client.post(url, _program_data(name="数据券（无条件）"))
    assert VoucherProgram.objects.get(name="数据券（无条件）").conditions == {}
    # A rule nested deeper than the builder shows opens in the JSON box.
    deep = {"all": [{"any": [{"all": [{"field": "revenue", "op": "gte", "value": 1}]}]}]}
    VoucherProgram.objects.filter(pk=program.pk).update(conditions=deep)
    form = client.get(reverse("vouchers:program-edit", args=[program.pk])).context["form"]
    assert json.loads(form.initial["conditions"]) == deep
