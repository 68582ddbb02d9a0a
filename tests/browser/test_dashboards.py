"""The home page dashboards in a real browser at 1280×800 and 390×844: the charts are
drawn, each has its table of figures, and nothing makes the page scroll sideways."""

import datetime

import pytest

from registry.models import LabelAward, ServiceRecord
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_panel_scoring import _log_in, _shot
from tests.factories import BureauUserFactory, region, registry_enterprise
from tests.vouchers.factories import file_claim, issue, world

pytestmark = pytest.mark.browser

# PANEL_SCREENSHOTS=/tmp/shots keeps pictures of the dashboards (as of the panel's pages).


def test_dashboards_draw_and_fit(live_server, transactional_db, new_context):
    w = world("330100", enterprise_region="330100")
    file_claim(w, issue(w, amount="100000"), "5000")
    staff = BureauUserFactory(region=region("330000"))
    firms = [
        registry_enterprise(code, tier=tier)
        for code, tier in [("330100", "leading"), ("330100", "growth"), ("330200", "potential"),
                           ("330300", "growth"), ("330100", "potential")]
    ]  # fmt: skip
    LabelAward.objects.create(enterprise=firms[0], label="gazelle",
                              granted_on=datetime.date(2026, 5, 1), source="t")  # fmt: skip
    ServiceRecord.objects.create(
        enterprise=w.enterprise, kind="data", served_on=datetime.date(2026, 3, 1), notes="对接",
        staff=staff,
    )  # fmt: skip
    too_wide = []
    for name, user, section in [
        ("staff", staff, "staff-dashboard"),
        ("enterprise", w.member, "enterprise-dashboard"),
        ("city", w.staff, "staff-dashboard"),
    ]:
        for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_context(viewport=viewport).new_page()
            _log_in(page, live_server.url, user)
            page.goto(live_server.url + "/")
            dashboard = page.get_by_test_id(section)
            dashboard.scroll_into_view_if_needed()
            assert dashboard.locator("svg").count() >= 1
            assert dashboard.locator("figcaption table").count() >= 1
            box = dashboard.locator("svg").first.bounding_box()
            assert box["width"] > 100 and box["height"] > 40
            _shot(page, f"dashboard-{name}-{size}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                too_wide.append((name, size, width))
    assert too_wide == []
