"""End to end in a real browser: an enterprise applies for a compute voucher, the
programme's staff approve it (the grant computation shown), and the provider files a
claim against the voucher from a phone-width screen.

Written against the pages of the vouchers-pages branch (namespace `vouchers`, mounted at
/vouchers/): the addresses and labels it uses are gathered in PAGES and LABELS below, so
that a change of wording there is a change of one line here."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.vouchers.factories import PDF, world
from vouchers.models import Claim, ClaimStatus, Voucher, VoucherApplication

pytestmark = pytest.mark.browser

PAGES = {
    "program": "/vouchers/programs/{pk}/",
    "apply": "/vouchers/programs/{pk}/apply/",
    "application": "/vouchers/applications/{pk}/",
    "voucher": "/vouchers/vouchers/{pk}/",
}
LABELS = {
    "apply": "申请",
    "next": "下一步",
    "contract_number": "合同编号",
    "signed_on": "合同签订日期",
    "starts_on": "合同开始日期",
    "ends_on": "合同结束日期",
    "contract_amount": "合同金额（元）",
    "amount_sought": "申请金额（元）",
    "contract_file": "合同（PDF）",
    "submit_application": "提交申请",
    "approve": "批准并发券",
    "file_claim": "申领兑付",
    "invoice_number": "发票号码",
    "claim_amount": "申领金额（元）",
    "usage": "使用量",
    "usage_unit": "使用量单位",
    "proof": "交付证明（PDF）",
    "submit_claim": "提交申领",
}


def _pdf_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(PDF)
    return str(path)


def test_enterprise_applies_staff_approve_provider_claims_on_a_phone(
    live_server, transactional_db, new_context, tmp_path
):
    from playwright.sync_api import expect

    try:
        reverse("vouchers:program-detail", args=[1])
    except NoReverseMatch:
        pytest.skip("the voucher pages (branch vouchers-pages) are not on this branch yet")
    w = world()  # Beijing compute programme: 20 %, discount mode (the provider claims)
    today = timezone.localdate()
    url = live_server.url

    # The enterprise applies (desktop).
    page = new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, url, w.member)
    page.goto(url + PAGES["program"].format(pk=w.program.pk))
    page.get_by_role("link", name=LABELS["apply"], exact=True).click()
    if page.get_by_role("button", name=LABELS["next"]).count():
        page.get_by_role("button", name=LABELS["next"]).click()  # choose the provider
    page.get_by_label(LABELS["contract_number"]).fill("HT-BROWSER-1")
    page.get_by_label(LABELS["signed_on"]).fill(today.isoformat())
    page.get_by_label(LABELS["starts_on"]).fill(today.isoformat())
    page.get_by_label(LABELS["ends_on"]).fill((today + datetime.timedelta(days=180)).isoformat())
    page.get_by_label(LABELS["contract_amount"]).fill("1000000")
    page.get_by_label(LABELS["amount_sought"]).fill("1000000")
    page.get_by_label(LABELS["contract_file"]).set_input_files(_pdf_file(tmp_path, "合同.pdf"))
    page.get_by_label(w.product.name, exact=False).fill("1000")
    page.get_by_role("button", name=LABELS["submit_application"]).click()
    expect(page.get_by_text("HT-BROWSER-1").first).to_be_visible()
    application = VoucherApplication.objects.get(contract_number="HT-BROWSER-1")
    assert application.status == "applied"

    # Staff of the programme's jurisdiction approve: every term of the min is on the page.
    staff = new_context().new_page()
    staff.on("dialog", lambda dialog: dialog.accept())
    _log_in(staff, url, w.staff)
    staff.goto(url + PAGES["application"].format(pk=application.pk))
    expect(staff.get_by_text("200,000.00").first).to_be_visible()  # 20 % of the contract
    staff.get_by_role("button", name=LABELS["approve"]).click()
    voucher = Voucher.objects.get(application=application)
    expect(staff.get_by_text(voucher.code).first).to_be_visible()
    assert voucher.amount == Decimal("200000.00")

    # The provider files a claim from a phone.
    phone = new_context(viewport=PHONE).new_page()
    phone.on("dialog", lambda dialog: dialog.accept())
    _log_in(phone, url, w.provider_user)
    phone.goto(url + PAGES["voucher"].format(pk=voucher.pk))
    expect(phone.get_by_text(voucher.code).first).to_be_visible()
    phone.get_by_role("link", name=LABELS["file_claim"]).click()
    phone.get_by_label(LABELS["invoice_number"]).fill("FP-BROWSER-1")
    phone.get_by_label(LABELS["claim_amount"]).fill("50000")
    # The label reads "使用量 *" (required): not "使用量单位".
    phone.get_by_label(re.compile(rf"^{LABELS['usage']}\s*\*?$")).fill("4000")
    phone.get_by_label(LABELS["usage_unit"]).fill("卡时")
    phone.get_by_label(LABELS["proof"]).set_input_files(_pdf_file(tmp_path, "交付证明.pdf"))
    phone.get_by_role("button", name=LABELS["submit_claim"]).click()
    expect(phone.get_by_text("FP-BROWSER-1").first).to_be_visible()
    _shot(phone, "voucher-claim-filed-phone")
    # Nothing scrolls sideways at phone width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    claim = Claim.objects.get(invoice_number="FP-BROWSER-1")
    assert (claim.status, claim.amount) == (ClaimStatus.FILED, Decimal("50000.00"))
    voucher.refresh_from_db()
    assert voucher.claimed == Decimal("50000.00")
