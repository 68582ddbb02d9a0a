"""The voucher API: programmes, providers, memberships and applications, per role; the
grant computation in the answer; refusals change nothing."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.vouchers.api_helpers import ROOT, apply_over_api, as_user
from tests.vouchers.factories import apply, make_provider, program_values, provider_user, world
from vouchers.models import (
    ApplicationStatus,
    LedgerEntry,
    MembershipStatus,
    Product,
    ProgramProvider,
    ProgramStatus,
    Provider,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)

pytestmark = pytest.mark.django_db
OTHER_ROLES = [Role.PANELIST, Role.INSTITUTION, Role.PUBLISHER]


def _names(response):
    assert response.status_code == 200, response.json()
    return sorted(row["name"] for row in response.json()["results"])


def test_api_programs_listed_per_role():
    w = world("110000")
    draft = VoucherProgram.objects.create(
        created_by=w.staff, **program_values(region("110000"), name="草稿计划")
    )
    assert _names(as_user(w.staff).get(f"{ROOT}/voucher-programs/")) == sorted(
        [w.program.name, draft.name]
    )
    assert _names(as_user(w.member).get(f"{ROOT}/voucher-programs/")) == [w.program.name]
    assert _names(as_user(w.provider_user).get(f"{ROOT}/voucher-programs/")) == [w.program.name]
    elsewhere = enterprise_user(registry_enterprise("330100"))
    assert _names(as_user(elsewhere).get(f"{ROOT}/voucher-programs/")) == []
    shanghai = BureauUserFactory(region=region("310000"))
    assert _names(as_user(shanghai).get(f"{ROOT}/voucher-programs/")) == []
    assert as_user(shanghai).get(f"{ROOT}/voucher-programs/{w.program.pk}/").status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_api_vouchers_refused_to_other_roles(role):
    w = world()
    client = as_user(UserFactory(role=role))
    for path in ("voucher-programs/", "providers/", "provider-products/", "program-providers/",
                 "voucher-applications/", "vouchers/", "claims/", "ledger-entries/",
                 "reconciliation/", f"voucher-programs/{w.program.pk}/"):  # fmt: skip
        assert client.get(f"{ROOT}/{path}").status_code == 403, path
    assert APIClient().get(f"{ROOT}/vouchers/").status_code == 401


def test_api_program_create_edit_publish_version_close_by_its_staff():
    staff = BureauUserFactory(region=region("110000"))
    client = as_user(staff)
    values = program_values(region("110000"), name="北京算力券")
    body = {k: (str(v) if v is not None and k != "conditions" else v) for k, v in values.items()}
    body["jurisdiction"] = "110000"
    created = client.post(f"{ROOT}/voucher-programs/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["conditions_text"] != ""
    edited = client.patch(f"{ROOT}/voucher-programs/{pk}/", {"name": "北京算力券（修订）"},
                          format="json")  # fmt: skip
    assert edited.status_code == 200 and edited.json()["name"] == "北京算力券（修订）"
    published = client.post(f"{ROOT}/voucher-programs/{pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    frozen = client.patch(f"{ROOT}/voucher-programs/{pk}/", {"name": "改名"}, format="json")
    assert frozen.status_code == 400
    assert "新版本" in frozen.json()["detail"]
    version = client.post(f"{ROOT}/voucher-programs/{pk}/new-version/",
                          {"subsidy_ratio": "0.3000"}, format="json")  # fmt: skip
    assert version.status_code == 201, version.json()
    assert (version.json()["version"], version.json()["previous"]) == (2, pk)
    assert version.json()["subsidy_ratio"] == "0.3000"
    closed = client.post(f"{ROOT}/voucher-programs/{pk}/close/", {"reason": "额度已满"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_api_program_writes_refused_to_parties_and_staff_above():
    w = world("330100", enterprise_region="330100")
    zhejiang = BureauUserFactory(region=region("330000"))
    for user in (w.member, w.provider_user, zhejiang):
        client = as_user(user)
        assert client.post(f"{ROOT}/voucher-programs/{w.program.pk}/close/").status_code == 403
        response = client.patch(f"{ROOT}/voucher-programs/{w.program.pk}/", {"name": "x"},
                                format="json")  # fmt: skip
        assert response.status_code == 403
    values = {**program_values(region("330100")), "jurisdiction": "330100", "conditions": {}}
    body = {k: str(v) if v is not None and k != "conditions" else v for k, v in values.items()}
    assert as_user(w.member).post(f"{ROOT}/voucher-programs/", body, format="json").status_code \
        == 403  # fmt: skip
    assert as_user(zhejiang).post(f"{ROOT}/voucher-programs/", body, format="json").status_code \
        == 403  # fmt: skip
    w.program.refresh_from_db()
    assert w.program.status == ProgramStatus.PUBLISHED
    assert VoucherProgram.objects.count() == 1


def test_api_program_eligibility_explains_each_condition():
    w = world()
    response = as_user(w.member).get(f"{ROOT}/voucher-programs/{w.program.pk}/eligibility/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["eligible"], body["enterprise"]) == (True, w.enterprise.pk)
    assert len(body["explanation"]) == 1 and len(body["explanation_text"]) == 1
    assert body["annual_cap_remaining"] == "2000000.00"
    small = registry_enterprise("110000", revenue=Decimal("500000"))
    staff = as_user(w.staff)
    response = staff.get(f"{ROOT}/voucher-programs/{w.program.pk}/eligibility/",
                         {"enterprise": small.pk})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["eligible"] is False
    assert response.json()["explanation"][0]["held"] is False
    # Staff must name the enterprise; one they cannot see is a 404; a provider is refused.
    assert staff.get(f"{ROOT}/voucher-programs/{w.program.pk}/eligibility/").status_code == 400
    other = registry_enterprise("330100")
    assert staff.get(f"{ROOT}/voucher-programs/{w.program.pk}/eligibility/",
                     {"enterprise": other.pk}).status_code == 404  # fmt: skip
    provider = as_user(w.provider_user)
    assert provider.get(f"{ROOT}/voucher-programs/{w.program.pk}/eligibility/").status_code == 403


def test_api_provider_registers_adds_products_joins_and_staff_decide():
    w = world()
    puser = provider_user()
    client = as_user(puser)
    registered = client.post(f"{ROOT}/providers/",
                             {"service_kinds": ["compute"], "hub_node": "guizhou"},
                             format="json")  # fmt: skip
    assert registered.status_code == 201, registered.json()
    provider = Provider.objects.get(organisation=puser.organisation)
    product = client.post(f"{ROOT}/provider-products/", {"kind": "compute", "name": "H800 卡时",
                          "unit": "卡时", "unit_price": "18.50"}, format="json")  # fmt: skip
    assert product.status_code == 201, product.json()
    assert Product.objects.get(provider=provider).unit_price == Decimal("18.50")
    edited = client.patch(f"{ROOT}/provider-products/{product.json()['id']}/",
                          {"unit": "卡·时"}, format="json")  # fmt: skip
    assert edited.status_code == 200 and edited.json()["unit"] == "卡·时"
    joined = client.post(f"{ROOT}/providers/{provider.pk}/join-program/",
                         {"program": w.program.pk}, format="json")  # fmt: skip
    assert joined.status_code == 201 and joined.json()["status"] == "applied"
    membership = joined.json()["id"]
    # Another provider cannot act for this one; the enterprise cannot decide.
    assert as_user(w.provider_user).post(f"{ROOT}/providers/{provider.pk}/join-program/",
                                         {"program": w.program.pk}).status_code == 404  # fmt: skip
    assert as_user(w.member).post(
        f"{ROOT}/program-providers/{membership}/approve/").status_code == 404  # fmt: skip
    staff = as_user(w.staff)
    approved = staff.post(f"{ROOT}/program-providers/{membership}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    no_reason = staff.post(f"{ROOT}/program-providers/{membership}/suspend/", {}, format="json")
    assert no_reason.status_code == 400
    assert ProgramProvider.objects.get(pk=membership).status == MembershipStatus.APPROVED
    suspended = staff.post(f"{ROOT}/program-providers/{membership}/suspend/",
                           {"reason": "交付质量投诉"}, format="json")  # fmt: skip
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    removed = staff.post(f"{ROOT}/program-providers/{membership}/remove/",
                         {"reason": "核查属实"}, format="json")  # fmt: skip
    assert removed.json()["status"] == "removed"


def test_api_provider_registration_refused_to_non_providers():
    w = world()
    for user in (w.member, w.staff, AdminUserFactory()):
        response = as_user(user).post(f"{ROOT}/providers/", {"service_kinds": ["data"]},
                                      format="json")  # fmt: skip
        assert response.status_code == 403
    assert Provider.objects.count() == 1


def test_api_apply_then_approve_answers_the_grant_computation():
    w = world()
    applied = apply_over_api(w, amount="1000000", sought="900000")
    assert applied.status_code == 201, applied.json()
    body = applied.json()
    assert body["status"] == "applied"
    assert body["items"][0]["amount"] == "10000.00"
    assert body["grant"] == {
        "sought": "900000.00", "ratio": "0.2000", "is_startup": False,
        "ratio_amount": "200000.00", "annual_remaining": "2000000.00",
        "contract_cap": "1000000.00", "budget_remaining": "10000000.00",
        "granted": "200000.00", "binding": "ratio_amount",
    }  # fmt: skip
    approved = as_user(w.staff).post(f"{ROOT}/voucher-applications/{body['id']}/approve/")
    assert approved.status_code == 201, approved.json()
    voucher = approved.json()
    assert voucher["code"] == f"compute-110000-{w.program.year}-000001"
    assert (voucher["amount"], voucher["remaining"], voucher["status"]) == (
        "200000.00", "200000.00", "issued")  # fmt: skip
    assert voucher["grant"] == {**body["grant"], "ratio": "0.2000"}
    detail = as_user(w.member).get(f"{ROOT}/voucher-applications/{body['id']}/").json()
    assert (detail["status"], detail["voucher"]) == ("approved", voucher["id"])
    assert detail["grant"] == voucher["grant"]
    assert LedgerEntry.objects.get().amount == Decimal("200000.00")


def test_api_apply_refusal_is_a_sentence_and_saves_nothing():
    w = world()
    w.program.memberships.update(status=MembershipStatus.SUSPENDED)
    response = apply_over_api(w)
    assert response.status_code == 400
    assert response.json()["detail"] == "该服务商未入围本计划（或已被暂停、移出）。"
    assert not VoucherApplication.objects.exists()


def test_api_apply_not_eligible_names_the_failing_condition():
    w = world()
    w.enterprise.annual_reports.update(
        revenue=Decimal("100000"), main_business_revenue=Decimal("100000")
    )
    response = apply_over_api(w)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("不符合本计划的申请条件：")
    assert not VoucherApplication.objects.exists()


def test_api_apply_refused_to_staff_and_providers_and_contract_used_twice():
    w = world()
    for user in (w.staff, w.provider_user):
        assert apply_over_api(w, client=as_user(user)).status_code == 403
    assert apply_over_api(w, number="HT-9").status_code == 201
    again = apply_over_api(w, number="HT-9")
    assert again.status_code == 400
    assert VoucherApplication.objects.count() == 1


def test_api_application_return_reject_withdraw():
    w = world()
    staff, member = as_user(w.staff), as_user(w.member)
    first = apply(w)
    assert staff.post(f"{ROOT}/voucher-applications/{first.pk}/return/", {}).status_code == 400
    returned = staff.post(f"{ROOT}/voucher-applications/{first.pk}/return/",
                          {"reason": "请补充合同附件"})  # fmt: skip
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["grant"] is not None  # still pending: what it would be now
    withdrawn = member.post(f"{ROOT}/voucher-applications/{first.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["grant"] is None
    second = apply(w)
    # Not the enterprise's to reject, nor the provider's; staff reject with a reason.
    for user in (w.member, w.provider_user):
        response = as_user(user).post(f"{ROOT}/voucher-applications/{second.pk}/reject/",
                                      {"reason": "x"})  # fmt: skip
        assert response.status_code == 403
    assert VoucherApplication.objects.get(pk=second.pk).status == ApplicationStatus.APPLIED
    rejected = staff.post(f"{ROOT}/voucher-applications/{second.pk}/reject/",
                          {"reason": "合同与申报内容不符"})  # fmt: skip
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert member.post(f"{ROOT}/voucher-applications/{second.pk}/approve/").status_code == 403
    assert not Voucher.objects.exists()


def test_api_another_enterprises_application_is_404():
    w = world()
    application = apply(w)
    other = world()
    for user in (other.member, other.provider_user):
        client = as_user(user)
        assert client.get(f"{ROOT}/voucher-applications/{application.pk}/").status_code == 404
        withdraw = f"{ROOT}/voucher-applications/{application.pk}/withdraw/"
        assert client.post(withdraw).status_code == 404
    assert VoucherApplication.objects.get(pk=application.pk).status == ApplicationStatus.APPLIED
    # A provider not in the programme: the service's sentence; an unknown one: 404.
    outsider, _user = make_provider()
    response = apply_over_api(w, provider=outsider.pk, number="HT-X")
    assert response.json()["detail"] == "该服务商未入围本计划（或已被暂停、移出）。"
    assert apply_over_api(w, provider=2**31 - 1, number="HT-Y").status_code == 404
    assert VoucherApplication.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    [{"status": "bogus"}, {"program": "abc"}, {"program": "0"}, {"kind": "coal"},
     {"year": "1999"}],
)  # fmt: skip
def test_api_invalid_filter_values_answer_400(query):
    w = world()
    for path in ("voucher-programs/", "voucher-applications/", "vouchers/", "claims/"):
        if set(query) <= {"status", "program", "kind", "year"}:
            response = as_user(w.staff).get(f"{ROOT}/{path}", query)
            if any(k in _filters(path) for k in query):
                assert response.status_code == 400, (path, query, response.json())


def _filters(path):
    return {
        "voucher-programs/": {"status", "kind", "year"},
        "voucher-applications/": {"status", "program"},
        "vouchers/": {"status", "program", "kind"},
        "claims/": {"status", "program"},
    }[path]


def test_api_returned_application_resubmitted_with_changes_by_its_member_only():
    from vouchers.services import applications as app_services

    w = world()
    application = apply(w, amount="1000000")
    path = f"{ROOT}/voucher-applications/{application.pk}/resubmit/"
    # Not returned yet: a sentence, nothing changes.
    early = as_user(w.member).post(path, {"contract_number": "HT-NEW"}, format="multipart")
    assert early.status_code == 400
    app_services.return_application(application, actor=w.staff, reason="请补充合同附件")
    for user in (w.staff, w.provider_user):
        refused = as_user(user).post(path, {"contract_number": "HT-NEW"}, format="multipart")
        assert refused.status_code == 403
    outsider = enterprise_user(registry_enterprise("110000"))
    assert as_user(outsider).post(path, {}, format="multipart").status_code == 404
    application.refresh_from_db()
    assert (application.status, application.contract_number) == (
        ApplicationStatus.RETURNED,
        application.contract_number,
    )
    bad = as_user(w.member).post(path, {"amount_sought": "-5"}, format="multipart")
    assert bad.status_code == 400 and "amount_sought" in bad.json()["errors"]
    done = as_user(w.member).post(
        path, {"contract_number": "HT-NEW", "amount_sought": "900000"}, format="multipart"
    )
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["contract_number"]) == ("applied", "HT-NEW")
    assert done.json()["amount_sought"] == "900000.00"


def test_api_provider_declares_a_related_party_which_then_blocks_applications():
    w = world()
    path = f"{ROOT}/providers/{w.provider.pk}/related-parties/"
    provider = as_user(w.provider_user)
    assert provider.get(path).json() == []
    bad = provider.post(path, {"kind": "cousin", "uscc": w.enterprise.uscc})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    for user in (w.staff, w.member):
        assert (
            as_user(user).post(path, {"kind": "group", "uscc": w.enterprise.uscc}).status_code
            == 403
        )
    made = provider.post(
        path, {"kind": "shareholding", "uscc": w.enterprise.uscc, "note": "持股 5%"}
    )
    assert made.status_code == 201, made.json()
    assert made.json()["enterprise"] == w.enterprise.pk
    again = provider.post(path, {"kind": "shareholding", "uscc": w.enterprise.uscc})
    assert again.status_code == 400 and "uscc" in again.json()["errors"]
    # Staff read the declarations; the enterprise does not.
    assert [r["uscc"] for r in as_user(w.staff).get(path).json()] == [w.enterprise.uscc]
    assert as_user(w.member).get(path).status_code == 403
    refused = apply_over_api(w)
    assert refused.status_code == 400
    assert not VoucherApplication.objects.exists()
