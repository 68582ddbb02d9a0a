"""End to end in a real browser: an enterprise registers itself, a provincial
bureau user finds it in the registry and sees the registration in its timeline."""

import re

import pytest

from registry.models import Enterprise
from registry.uscc import make_uscc
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, BureauUserFactory, EnterpriseFactory, region

pytestmark = pytest.mark.browser

ENTERPRISE_NAME = "杭州云栖数智科技有限公司"


def _wrong_check_character(code: str) -> str:
    return code[:17] + ("A" if code[17] != "A" else "B")


def test_register_then_bureau_finds_it(live_server, transactional_db, page, new_context):
    from playwright.sync_api import expect

    bureau = BureauUserFactory(region=region("330000"), full_name="省局审核员")
    EnterpriseFactory(name="宁波海港物联有限公司", region=region("330200"))  # must be filtered out
    uscc = make_uscc("330100", 77_000_001)
    before = Enterprise.objects.count()

    # 1. Registration, first with a wrong check character.
    page.goto(f"{live_server.url}/registry/register/")
    expect(page.get_by_role("heading", name="企业注册")).to_be_visible()
    for label in ("统一社会信用代码", "企业名称", "所在地区", "您的姓名", "确认密码"):
        expect(page.get_by_label(label), f"the form has no field labelled {label}").to_be_visible()
    page.get_by_label("统一社会信用代码").fill(_wrong_check_character(uscc))
    page.get_by_label("企业名称").fill(ENTERPRISE_NAME)
    page.get_by_label("所在地区").select_option(label="浙江省杭州市")
    page.get_by_label("所属行业").select_option(label="数字技术应用业")
    page.get_by_label("创新类型").select_option(label="数据价值创新")
    page.get_by_label("成立日期").fill("2021-03-15")
    page.get_by_label("企业规模").select_option(label="小型")
    page.get_by_label("联系人").fill("陈晓")
    page.get_by_label("联系电话").fill("057187654321")
    page.get_by_label("您的姓名").fill("陈晓")
    page.get_by_label("电子邮箱").fill("chenxiao@yunqi-shuzhi.cn")
    page.get_by_label("手机号码").fill("13712345678")
    password, password2 = page.get_by_label(re.compile(r"^密码")), page.get_by_label("确认密码")
    password.fill(PASSWORD)
    password2.fill(PASSWORD)
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="提交注册").click()

    error = page.locator("#id_uscc_error")
    expect(error).to_contain_text("校验位")
    expect(error).to_contain_text(f"应为 {uscc[17]}")
    assert Enterprise.objects.count() == before

    # The form keeps what was typed, except the passwords.
    expect(page.get_by_label("企业名称")).to_have_value(ENTERPRISE_NAME)
    page.get_by_label("统一社会信用代码").fill(uscc)
    password.fill(PASSWORD)
    password2.fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()

    expect(page).to_have_url(re.compile(r"/registry/enterprises/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ENTERPRISE_NAME)
    expect(page.locator("main")).to_contain_text(uscc)
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert Enterprise.objects.count() == before + 1
    assert page.url.endswith(f"/registry/enterprises/{enterprise.pk}/")

    # 2. Log out through the user menu.
    page.get_by_role("button", name="陈晓").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # 3. The provincial bureau user logs in with the phone number.
    page.get_by_label("邮箱或手机号").fill(bureau.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("省局审核员")

    # 4. Find the enterprise in 企业库.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="企业库").click()
    expect(page).to_have_url(re.compile(r"/registry/enterprises/$"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="宁波海港物联有限公司")).to_be_visible()
    search = page.get_by_label("名称或统一社会信用代码")
    search.fill("云栖数智")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"q="))
    row = results.get_by_role("row").filter(has_text=ENTERPRISE_NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(uscc)
    expect(results.get_by_role("link", name="宁波海港物联有限公司")).to_have_count(0)

    row.get_by_role("link", name=ENTERPRISE_NAME).click()
    expect(page).to_have_url(re.compile(rf"/registry/enterprises/{enterprise.pk}/$"))
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator('[data-action="enterprise.registered"]')).to_contain_text("企业注册")

    # 5. At phone size the list must not make the whole page scroll sideways.
    phone = new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(f"{live_server.url}/registry/enterprises/")
    expect(phone.locator("#results").get_by_role("link", name=ENTERPRISE_NAME)).to_be_visible()
    widths = phone.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,"
        " client: document.documentElement.clientWidth})"
    )
    # A mobile browser zooms out to fit content that is too wide, which makes
    # innerWidth grow with the overflow: so innerWidth must still be the phone's width.
    assert widths["inner"] == PHONE["width"], f"page zoomed out to fit overflow: {widths}"
    assert widths["scroll"] <= widths["inner"] + 1, f"body overflows sideways: {widths}"
