"""Several people writing at once, through the real pages, on the database the suite runs
on: the embedded SQLite file (WAL, busy timeout, IMMEDIATE transactions) or PostgreSQL
when DATABASE_URL says so (CI). No request may fail and every write is saved once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from notifications.models import Notification
from registry.choices import MembershipStatus
from registry.forms import EnterpriseProfileForm
from registry.models import AnnualReport, Enterprise, Membership
from registry.uscc import make_uscc
from tests.concurrency import expect_redirect, run_at_once
from tests.factories import (
    PASSWORD,
    BureauUserFactory,
    EnterpriseFactory,
    MembershipFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6
ROUNDS = 4
YEARS = [2021, 2022, 2023, 2024]  # one report per round


def as_post(initial: dict) -> dict:
    return {k: "" if v is None else str(getattr(v, "pk", v)) for k, v in initial.items()}


def report_post(revenue: int) -> dict:
    return as_post(
        {
            "revenue": Decimal(revenue),
            "main_business_revenue": Decimal(revenue),
            "net_profit": Decimal("100000"),
            "rd_expense": Decimal(revenue) / 10,
            "employees": 50,
            "rd_staff": 20,
            "invention_patents": 3,
            "software_copyrights": 4,
            "data_resources_registered": 0,
            "financing_this_year": Decimal("0"),
            "cumulative_financing": Decimal("0"),
            "valuation": None,
            "overseas_revenue": Decimal("0"),
            "compliance_incidents": 0,
        }
    )


def registration_post(writer: int, round_: int) -> dict:
    n = writer * 100 + round_
    return {
        "full_name": "李娜",
        "email": f"new{n}@example.cn",
        "phone": f"1370000{n:04d}",
        "password": "Strong#Pass2026",
        "password2": "Strong#Pass2026",
        "declaration": "on",
        "uscc": make_uscc("330100", 7_000_000 + n),
        "name": f"并发注册数字科技有限公司{n}",
        "region": str(region("330100").pk),
        "industry": "03",
        "category": "tech",
        "founded_on": "2019-03-01",
        "size": "small",
        "listing_status": "unlisted",
        "contact_name": "李娜",
        "contact_phone": "057188880000",
    }


def writer(index, owner, enterprise, joiners):
    """One person's working session: sign in, approve a colleague, edit the profile, save a
    report; and someone new registering an enterprise; ROUNDS times."""

    def session(errors):
        profile = as_post(EnterpriseProfileForm(instance=enterprise).initial)
        for round_ in range(ROUNDS):
            staff = Client()
            for response, what in [
                (staff.post(reverse("login"), {"username": owner.email, "password": PASSWORD}),
                 "login"),
                (staff.post(reverse("registry:membership-decide", args=[joiners[round_].pk]),
                            {"decision": "approve"}), "approve membership"),
                (staff.post(reverse("registry:enterprise-edit", args=[enterprise.pk]),
                            {**profile, "contact_name": f"联系人{index}-{round_}"}),
                 "save profile"),
                (staff.post(reverse("registry:report-edit", args=[YEARS[round_]]),
                            report_post(1_000_000 * (index + 1))), "save report"),
                (Client().post(reverse("registry:register"), registration_post(index, round_)),
                 "register"),
            ]:  # fmt: skip
                expect_redirect(errors, response, f"writer {index} {what}")

    return session


def test_concurrent_writers_all_succeed_and_each_write_is_saved_once():
    if connection.vendor == "sqlite":  # what `make run` uses, not an in-memory database
        assert not connection.is_in_memory_db()
        assert connection.cursor().execute("PRAGMA journal_mode").fetchone() == ("wal",)
    bureau = BureauUserFactory(region=region("330000"))
    enterprises = [EnterpriseFactory(region=region("330100")) for _ in range(WRITERS)]
    owners = [enterprise_user(e) for e in enterprises]
    joiners = [
        [MembershipFactory(enterprise=e, status=MembershipStatus.PENDING) for _ in range(ROUNDS)]
        for e in enterprises
    ]
    errors = run_at_once([writer(i, owners[i], enterprises[i], joiners[i]) for i in range(WRITERS)])
    assert errors == []
    registrations = WRITERS * ROUNDS
    registered = Enterprise.objects.filter(name__startswith="并发注册数字科技有限公司")
    assert registered.count() == registrations
    assert Membership.objects.filter(enterprise__in=registered, status="active").count() == (
        registrations
    )
    for index, enterprise in enumerate(enterprises):
        assert Membership.objects.filter(enterprise=enterprise, status="pending").count() == 0
        enterprise.refresh_from_db()
        assert enterprise.contact_name == f"联系人{index}-{ROUNDS - 1}"
        reports = AnnualReport.objects.filter(enterprise=enterprise).order_by("year")
        assert [r.year for r in reports] == YEARS
        assert {r.revenue for r in reports} == {Decimal(1_000_000 * (index + 1))}
    actions = AuditEvent.objects.values_list("action", flat=True)
    assert actions.filter(action="enterprise.registered").count() == registrations
    assert actions.filter(action="membership.active").count() == WRITERS * ROUNDS
    assert actions.filter(action="enterprise.updated").count() == WRITERS * ROUNDS
    assert actions.filter(action="report.saved").count() == WRITERS * ROUNDS
    # Notified once each, by e-mail once each (after the commit, in-process).
    assert Notification.objects.filter(recipient=bureau).count() == registrations
    for row in joiners:
        for membership in row:
            assert Notification.objects.filter(recipient=membership.user).count() == 1
    assert len(mail.outbox) == registrations + WRITERS * ROUNDS
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
