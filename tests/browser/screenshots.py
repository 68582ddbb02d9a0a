"""Screenshots of the main pages, for looking at by eye (run by hand, not by pytest).

    .venv/bin/python tests/browser/screenshots.py [--out var/screenshots]

Builds a throwaway test database (the demo data set, never var/portal.sqlite3),
serves it on a live server thread and photographs, at 1280×800 and 390×844:
login, register (top of the form), home as a provincial bureau user, the
enterprise list, an enterprise's detail page, and at phone size the open
navigation. Needs /usr/bin/chromium and fonts-noto-cjk (for Chinese glyphs).
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in this thread

from tests.browser.conftest import CHROMIUM, DESKTOP, LAUNCH_ARGS, PHONE  # noqa: E402

SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _prepare_database():
    """A fresh test database with the demo data; returns (bureau login, password)."""
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from demo import seed

        seed.seed_all(enterprises=60, log=lambda line: None)
        return "18800000011", seed.DEMO_PASSWORD  # 钱晓燕, 浙江省数据局
    except Exception as exc:  # the demo seed is someone else's code: fall back to factories
        print(f"demo seed failed ({exc!r}); using factories", file=sys.stderr)
        from registry import services
        from registry.uscc import make_uscc
        from tests.factories import PASSWORD, BureauUserFactory, EnterpriseFactory, region

        bureau = BureauUserFactory(region=region("330000"), full_name="钱晓燕")
        for n in range(12):
            EnterpriseFactory(name=f"杭州示范数字科技有限公司{n}", region=region("330100"))
        services.register_enterprise(
            account={
                "full_name": "陈晓",
                "email": "chenxiao@example.cn",
                "phone": "13712345678",
                "password": PASSWORD,
            },
            profile={
                "uscc": make_uscc("330100", 77_000_001),
                **{
                    k: getattr(EnterpriseFactory.build(region=region("330100")), k)
                    for k in ("name", "region", "industry", "category", "founded_on", "size")
                },
                "contact_name": "陈晓",
                "contact_phone": "057187654321",
            },
        )
        return bureau.phone, PASSWORD


def _enterprise_with_history(login):
    """The visible enterprise with the most audit events (its timeline is not empty)."""
    from django.db.models import Count

    from accounts.models import User
    from audit.models import AuditEvent
    from registry.models import Enterprise

    visible = Enterprise.objects.visible_to(User.objects.get_by_login(login))
    busiest = (
        AuditEvent.objects.filter(enterprise__in=visible)
        .values("enterprise")
        .annotate(n=Count("id"))
        .order_by("-n", "enterprise")
        .first()
    )
    return busiest["enterprise"] if busiest else visible.order_by("pk")[0].pk


def _start_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    thread = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread, f"http://localhost:{thread.port}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    login, password = _prepare_database()
    thread, base = _start_server()
    started = time.perf_counter()

    from playwright.sync_api import expect, sync_playwright

    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        for size_name, viewport in SIZES.items():
            phone = size_name == "phone"
            context = browser.new_context(
                viewport=viewport,
                is_mobile=phone,
                has_touch=phone,
                device_scale_factor=1,
                locale="zh-CN",
                timezone_id="Asia/Shanghai",
            )
            context.set_default_timeout(15_000)
            page = context.new_page()

            def shot(name, full_page=True, page=page, size_name=size_name):
                page.wait_for_load_state("networkidle")
                path = out / f"{name}-{size_name}.png"
                page.screenshot(path=str(path), full_page=full_page)
                saved.append(path)

            page.goto(f"{base}/accounts/login/")
            shot("01-login")
            page.goto(f"{base}/registry/register/")
            shot("02-register-top", full_page=False)

            page.goto(f"{base}/accounts/login/")
            page.get_by_label("邮箱或手机号").fill(login)
            page.get_by_label("密码").fill(password)
            page.get_by_role("button", name="登录", exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("您好")
            shot("03-home-bureau")

            page.goto(f"{base}/registry/enterprises/")
            shot("04-enterprise-list")
            page.goto(f"{base}/registry/enterprises/{_enterprise_with_history(login)}/")
            expect(page.get_by_test_id("timeline")).to_be_visible()
            shot("05-enterprise-detail")

            if phone:
                page.goto(f"{base}/registry/enterprises/")
                page.get_by_role("button", name="打开导航").click()
                expect(page.locator("#sidebar")).to_be_visible()
                expect(page.locator("#sidebar")).not_to_have_class(re.compile(r"\bshowing\b"))
                shot("06-navigation-open", full_page=False)
            context.close()
        browser.close()

    thread.terminate()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"{len(saved)} screenshots in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
