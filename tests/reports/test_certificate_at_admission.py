"""A registry certificate is issued when the enterprise is admitted (the selection's notice
ends and its results enter the registry), reissued when its tier changes, and the
selection never imports reports: the registry's `entry_admitted` signal carries it."""

import datetime

import pytest

from audit.models import AuditEvent
from registry.models import RegistryEntry
from registry.services import admit_enterprise
from reports.models import Certificate
from reports.services import certificates
from selection.services import tiering
from tests.factories import BureauUserFactory, EnterpriseFactory, region
from tests.selection.test_tiering import confirmed_round

pytestmark = pytest.mark.django_db


def test_notice_end_issues_a_certificate_to_each_admitted_enterprise():
    selection_round, apps = confirmed_round()
    selected = [a for a in apps if a.proposed_tier]
    later = selection_round.notice_ends_on + datetime.timedelta(days=1)

    assert tiering.finish_notice(selection_round, today=later) == len(selected)

    for application in selected:
        certificate = Certificate.objects.get(entry__enterprise=application.enterprise)
        assert certificate.tier == application.proposed_tier
        assert certificate.jurisdiction == selection_round.region
        assert certificate.issued_by == selection_round.results_confirmed_by
        assert certificates.verify(certificate.code).status == certificates.VALID
    assert Certificate.objects.count() == len(selected)
    unselected = [a.enterprise for a in apps if not a.proposed_tier]
    assert not Certificate.objects.filter(entry__enterprise__in=unselected).exists()
    assert AuditEvent.objects.filter(action="certificate.issued").count() == len(selected)


def test_a_tier_change_reissues_and_revokes_the_old_one():
    staff = BureauUserFactory(region=region("330000"))
    enterprise = EnterpriseFactory(region=region("330100"), verification_status="verified")
    admit_enterprise(enterprise, tier="potential", category=enterprise.category, actor=staff,
                     reason="入库")  # fmt: skip
    first = Certificate.objects.get()
    admit_enterprise(enterprise, tier="growth", category=enterprise.category, actor=staff,
                     reason="升级")  # fmt: skip

    first.refresh_from_db()
    current = Certificate.objects.current().get()
    assert first.revoked_at is not None and current.tier == "growth"
    assert RegistryEntry.objects.get(enterprise=enterprise).tier == "growth"


def test_a_failed_certificate_undoes_the_admission(monkeypatch):
    """One transaction: no admission without its certificate."""
    staff = BureauUserFactory(region=region("330000"))
    enterprise = EnterpriseFactory(region=region("330100"), verification_status="verified")

    def broken(*args, **kwargs):
        raise RuntimeError("certificate store unavailable")

    monkeypatch.setattr(certificates, "new_code", broken)
    with pytest.raises(RuntimeError):
        admit_enterprise(enterprise, tier="potential", category=enterprise.category,
                         actor=staff, reason="入库")  # fmt: skip
    assert not RegistryEntry.objects.filter(enterprise=enterprise).exists()
