"""The voucher API: vouchers, claims (idempotent over HTTP), ledger and reconciliation;
another party's objects are 404; list query counts do not grow with the rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.vouchers.api_helpers import ROOT, as_user, claim_over_api
from tests.vouchers.factories import file_claim, issue, world
from tests.vouchers.invariants import assert_invariants
from vouchers.models import Claim, ClaimStatus, LedgerEntry, Voucher, VoucherStatus
from vouchers.services import claims as claim_services

pytestmark = pytest.mark.django_db


def test_api_claim_retry_with_same_header_key_returns_the_first_answer():
    w = world()
    voucher = issue(w)
    client = as_user(w.provider_user)
    first = claim_over_api(client, voucher, amount="1500", key="retry-1")
    again = claim_over_api(client, voucher, amount="1500", key="retry-1")
    assert first.status_code == again.status_code == 201, first.json()
    assert again.json() == first.json()
    assert Claim.objects.count() == 1
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("1500.00")
    assert_invariants(w.program)


def test_api_claim_key_in_the_body_works_too_and_a_new_key_files_anew():
    w = world()
    voucher = issue(w)
    client = as_user(w.provider_user)
    first = claim_over_api(client, voucher, key="body-1", header=False)
    again = claim_over_api(client, voucher, key="body-1", header=False)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["idempotency_key"] == "body-1"
    other = claim_over_api(client, voucher, key="body-2", invoice="INV-2")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    missing = client.post(f"{ROOT}/claims/", {"voucher": voucher.pk, "invoice_number": "I",
                          "amount": "1", "usage_quantity": "1", "usage_unit": "次"},
                          format="multipart")  # fmt: skip
    assert missing.status_code == 400
    assert Claim.objects.count() == 2


def test_api_claim_over_the_voucher_is_refused_and_changes_nothing():
    w = world()
    voucher = issue(w)  # 200,000.00
    response = claim_over_api(as_user(w.provider_user), voucher, amount="200000.01")
    assert response.status_code == 400
    assert not Claim.objects.exists()
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("0.00")


def test_api_claim_refused_to_the_wrong_claimant_and_staff():
    w = world()  # discount mode: the provider claims
    voucher = issue(w)
    assert claim_over_api(as_user(w.member), voucher).status_code == 403
    assert claim_over_api(as_user(w.staff), voucher).status_code == 403
    assert not Claim.objects.exists()


def test_api_claim_flow_confirm_verify_settle_once():
    w = world()
    voucher = issue(w)
    filed = claim_over_api(as_user(w.provider_user), voucher, amount="50000").json()
    path = f"{ROOT}/claims/{filed['id']}"
    staff = as_user(w.staff)
    assert staff.post(f"{path}/verify/").status_code == 400  # not confirmed yet
    assert as_user(w.provider_user).post(f"{path}/confirm/").status_code == 400
    confirmed = as_user(w.member).post(f"{path}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["settle_due_on"] is not None
    for user in (w.member, w.provider_user):
        assert as_user(user).post(f"{path}/verify/").status_code == 403
        assert as_user(user).post(f"{path}/settle/").status_code == 403
    assert staff.post(f"{path}/verify/").json()["status"] == "verified"
    settled = staff.post(f"{path}/settle/")
    twice = staff.post(f"{path}/settle/")
    assert (settled.status_code, twice.status_code) == (200, 200)
    assert settled.json()["status"] == twice.json()["status"] == "settled"
    assert LedgerEntry.objects.filter(kind="spend").count() == 1
    program = assert_invariants(w.program)
    assert (program.reserved, program.spent) == (Decimal("150000.00"), Decimal("50000.00"))


def test_api_claim_return_and_reject():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "1000")
    path = f"{ROOT}/claims/{claim.pk}"
    staff = as_user(w.staff)
    assert staff.post(f"{path}/reject/", {}).status_code == 400
    returned = as_user(w.member).post(f"{path}/return/", {"reason": "用量不符"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    rejected = staff.post(f"{path}/reject/", {"reason": "无法核实交付"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    voucher.refresh_from_db()
    assert (voucher.claimed, voucher.status) == (Decimal("0.00"), VoucherStatus.ISSUED)
    assert_invariants(w.program)


def test_api_another_partys_voucher_and_claim_are_404():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "1000")
    other = world("330100", enterprise_region="330100")  # staff of another city too
    for user in (other.member, other.provider_user, other.staff):
        client = as_user(user)
        assert client.get(f"{ROOT}/vouchers/{voucher.pk}/").status_code == 404
        assert client.get(f"{ROOT}/vouchers/verify/", {"code": voucher.code}).status_code == 404
        assert client.get(f"{ROOT}/claims/{claim.pk}/").status_code == 404
        assert client.post(f"{ROOT}/claims/{claim.pk}/confirm/").status_code == 404
        assert client.post(f"{ROOT}/vouchers/{voucher.pk}/cancel/", {"reason": "x"}
                           ).status_code == 404  # fmt: skip
        assert claim_over_api(client, voucher, key="steal").status_code in (403, 404)
        ledger = client.get(f"{ROOT}/ledger-entries/").json()["results"]
        assert {row["voucher"] for row in ledger} <= {v.pk for v in Voucher.objects.filter(
            program=other.program)}  # fmt: skip
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.FILED
    assert Voucher.objects.get(pk=voucher.pk).status == VoucherStatus.PARTLY_REDEEMED


def test_api_verify_code_shows_only_code_status_remaining_expiry():
    w = world()
    voucher = issue(w)
    response = as_user(w.provider_user).get(f"{ROOT}/vouchers/verify/", {"code": voucher.code})
    assert response.status_code == 200
    assert response.json() == {
        "id": voucher.pk, "code": voucher.code, "status": "issued", "remaining": "200000.00",
        "expires_on": voucher.expires_on.isoformat(),
    }  # fmt: skip
    assert as_user(w.provider_user).get(f"{ROOT}/vouchers/verify/").status_code == 400


def test_api_voucher_cancel_by_staff_releases_and_others_refused():
    w = world()
    voucher = issue(w)
    file_claim(w, voucher, "1000")
    for user in (w.member, w.provider_user):
        response = as_user(user).post(f"{ROOT}/vouchers/{voucher.pk}/cancel/", {"reason": "x"})
        assert response.status_code == 403
    assert Voucher.objects.get(pk=voucher.pk).status == VoucherStatus.PARTLY_REDEEMED
    cancelled = as_user(w.staff).post(f"{ROOT}/vouchers/{voucher.pk}/cancel/",
                                      {"reason": "企业主动放弃"})  # fmt: skip
    assert cancelled.status_code == 200, cancelled.json()
    assert (cancelled.json()["status"], cancelled.json()["released"]) == (
        "cancelled", "199000.00")  # fmt: skip
    assert LedgerEntry.objects.filter(kind="release").get().amount == Decimal("199000.00")
    assert_invariants(w.program)


def test_api_ledger_and_reconciliation_balance():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "2000")
    claim_services.confirm_claim(claim, actor=w.member)
    claim_services.verify_claim(claim, actor=w.staff)
    claim_services.settle_claim(claim, actor=w.staff)
    staff = as_user(w.staff)
    kinds = [row["kind"] for row in staff.get(f"{ROOT}/ledger-entries/").json()["results"]]
    assert kinds == ["reserve", "spend"]
    assert len(as_user(w.member).get(f"{ROOT}/ledger-entries/").json()["results"]) == 2
    rows = staff.get(f"{ROOT}/reconciliation/").json()["results"]
    assert rows == [{
        "program": w.program.pk, "program_name": w.program.name, "budget": "10000000.00",
        "reserved": "198000.00", "spent": "2000.00", "ledger_reserved": "198000.00",
        "ledger_spent": "2000.00", "balanced": True,
    }]  # fmt: skip
    detail = staff.get(f"{ROOT}/reconciliation/{w.program.pk}/").json()
    assert detail["balanced"] is True
    assert detail["enterprise_years"] == [{
        "enterprise": w.enterprise.pk, "year": voucher.cap_year, "cap": "2000000.00",
        "used": "200000.00", "ledger_used": "200000.00", "balanced": True,
    }]  # fmt: skip
    assert [(v["code"], v["balanced"]) for v in detail["vouchers"]] == [(voucher.code, True)]
    for user in (w.member, w.provider_user):
        assert as_user(user).get(f"{ROOT}/reconciliation/").status_code == 403


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_api_list_queries_do_not_grow_with_rows():
    w = world()
    voucher = issue(w, amount="100000")
    file_claim(w, voucher, "10")
    paths = [
        "voucher-programs/", "voucher-applications/", "vouchers/", "claims/",
        "ledger-entries/", "program-providers/", "providers/", "provider-products/",
    ]  # fmt: skip
    staff = as_user(w.staff)
    one = {p: _queries(staff, f"{ROOT}/{p}") for p in paths}
    for _ in range(4):
        voucher = issue(w, amount="100000")
        file_claim(w, voucher, "10")
    many = {p: _queries(staff, f"{ROOT}/{p}") for p in paths}
    assert many == one
    assert Voucher.objects.count() == 5


def test_api_returned_claim_resubmitted_by_its_claimant_only():
    w = world()
    voucher = issue(w)
    claim = file_claim(w, voucher, "1000")
    path = f"{ROOT}/claims/{claim.pk}/resubmit/"
    assert as_user(w.provider_user).post(path, {}, format="multipart").status_code == 400
    claim_services.return_claim(claim, actor=w.staff, reason="请附发票")
    # Discount mode: the provider claims; the enterprise and staff may not resubmit for it.
    for user in (w.member, w.staff):
        assert as_user(user).post(path, {"amount": "900"}, format="multipart").status_code == 403
    assert Claim.objects.get(pk=claim.pk).amount == Decimal("1000.00")
    done = as_user(w.provider_user).post(
        path, {"amount": "900", "invoice_number": "INV-2"}, format="multipart"
    )
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["amount"]) == ("filed", "900.00")
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("900.00")
    assert_invariants(w.program)
