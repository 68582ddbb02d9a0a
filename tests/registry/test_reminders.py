import datetime

import pytest

from notifications.models import Notification
from registry import services
from registry.services import reports
from registry.services.reminders import send_report_reminders
from tests.factories import BureauUserFactory, EnterpriseFactory, enterprise_user, region
from tests.registry.test_reports import values

pytestmark = pytest.mark.django_db
DUE = datetime.date(2026, 4, 30)  # reports on 2025


@pytest.fixture
def admitted():
    enterprise = EnterpriseFactory(region=region("330100"))
    member = enterprise_user(enterprise)
    bureau = BureauUserFactory(region=region("330100"))
    services.admit_enterprise(
        enterprise, tier="potential", category="tech", actor=bureau, reason="入库"
    )
    return enterprise, member, bureau


def reminders_for(user):
    return Notification.objects.filter(recipient=user, title__contains="年度报告")


def test_reminders_30_7_1_days_before_each_once(admitted):
    _enterprise, member, _bureau = admitted
    for days in (30, 7, 1):
        assert send_report_reminders(DUE - datetime.timedelta(days=days)) == {
            "reminded": 1,
            "overdue": 0,
        }
        assert send_report_reminders(DUE - datetime.timedelta(days=days)) == {
            "reminded": 0,
            "overdue": 0,
        }
    assert send_report_reminders(DUE - datetime.timedelta(days=29))["reminded"] == 0
    assert reminders_for(member).count() == 3


def test_submitted_report_stops_reminders(admitted):
    enterprise, member, _bureau = admitted
    report = reports.save_report(enterprise, actor=member, year=2025, values=values())
    reports.submit_report(report, actor=member)
    assert send_report_reminders(DUE - datetime.timedelta(days=7))["reminded"] == 0


def test_overdue_flagged_once_to_members_and_staff(admitted):
    _enterprise, member, bureau = admitted
    assert send_report_reminders(DUE + datetime.timedelta(days=1)) == {"reminded": 0, "overdue": 1}
    assert send_report_reminders(DUE + datetime.timedelta(days=2))["overdue"] == 0
    assert Notification.objects.filter(recipient=bureau, title__contains="逾期").count() == 1
    assert Notification.objects.filter(recipient=member, title__contains="逾期").count() == 1


def test_enterprises_outside_the_registry_are_not_chased():
    enterprise_user(EnterpriseFactory())
    assert send_report_reminders(DUE - datetime.timedelta(days=30))["reminded"] == 0
