"""The reports app listens to the registry: an admission issues the registry certificate
(selection admits through the registry, so it never imports reports)."""

from registry.signals import entry_admitted


def _issue_certificate(sender, *, entry, actor, **kwargs):
    from reports.services.certificates import issue_at_admission

    issue_at_admission(entry, actor=actor)


def connect():
    entry_admitted.connect(_issue_certificate, dispatch_uid="reports.certificate_on_admission")
