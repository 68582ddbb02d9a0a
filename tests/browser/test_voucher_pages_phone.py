"""The voucher pages at phone width (390×844): every page of each party fits the screen
(no sideways scrolling of the page; wide tables scroll inside their own box)."""

import pytest

from tests.browser.conftest import PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.vouchers.factories import file_claim, issue, world

pytestmark = pytest.mark.browser


def test_voucher_pages_fit_a_phone(live_server, transactional_db, new_context):
    w = world()
    voucher = issue(w, amount="100000")
    claim = file_claim(w, voucher, "5000")
    program = f"/vouchers/programs/{w.program.pk}/"
    pages = [
        (w.member, ["/vouchers/", "/vouchers/programs/", program,
                    f"{program}apply/?provider={w.provider.pk}", "/vouchers/vouchers/",
                    f"/vouchers/claims/{claim.pk}/"]),
        (w.provider_user, ["/vouchers/", f"/vouchers/vouchers/{voucher.pk}/",
                           f"/vouchers/vouchers/{voucher.pk}/claim/", "/vouchers/provider/",
                           "/vouchers/claims/"]),
        (w.staff, [f"/vouchers/applications/{voucher.application_id}/", program,
                   f"{program}dashboard/", "/vouchers/reconciliation/", "/vouchers/claims/",
                   "/"]),
    ]  # fmt: skip
    too_wide = []
    for user, paths in pages:
        page = new_context(viewport=PHONE).new_page()
        _log_in(page, live_server.url, user)
        for path in paths:
            page.goto(live_server.url + path)
            _shot(page, "vouchers-" + (path.strip("/").replace("/", "-").split("?")[0] or "home"))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append((path, width))
    assert too_wide == []
