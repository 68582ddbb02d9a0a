"""Financing matchmaking in a real browser: the bank makes an offer on a need shared with
it, the enterprise accepts it; the pages fit a phone (390×844) without sideways scrolling."""

import pytest

from finance.models import Offer
from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.finance.factories import need, world

pytestmark = pytest.mark.browser
# The outermost elements that reach past the viewport (to say what is too wide).
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right
  > window.innerWidth + 1 && !(e.parentElement.getBoundingClientRect().right
  > window.innerWidth + 1)).map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def test_bank_offers_and_enterprise_accepts(live_server, transactional_db, new_context):
    from playwright.sync_api import expect

    w = world()
    n = need(w)
    bank = new_context().new_page()
    _log_in(bank, live_server.url, w.banker)
    bank.goto(f"{live_server.url}/finance/needs/")
    bank.get_by_role("link", name=n.title).click()
    bank.get_by_role("link", name="提出融资方案").click()
    bank.get_by_label("金额（元）").fill("4000000")
    bank.get_by_label("年利率（%）").fill("3.85")
    bank.get_by_label("期限（月）").fill("24")
    bank.get_by_role("button", name="提交方案").click()
    expect(bank.get_by_test_id("offers")).to_contain_text("待企业答复")
    _shot(bank, "finance-offer-made")

    phone = new_context(viewport=PHONE).new_page()
    _log_in(phone, live_server.url, w.member)
    phone.goto(f"{live_server.url}/finance/needs/{n.pk}/")
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="接受").click()
    expect(phone.get_by_test_id("offers")).to_contain_text("企业已接受")
    _shot(phone, "finance-offer-accepted-phone")
    assert Offer.objects.get().status == "accepted"
    too_wide = []
    for path in ("/finance/", f"/finance/needs/{n.pk}/", "/finance/needs/", "/finance/score/",
                 "/finance/products/", "/finance/needs/new/"):  # fmt: skip
        phone.goto(live_server.url + path)
        _shot(phone, "finance-phone-" + (path.strip("/").replace("/", "-") or "home"))
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append((path, width, phone.evaluate(WIDEST)))
    assert too_wide == []
