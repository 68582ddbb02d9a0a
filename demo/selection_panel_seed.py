"""Demo rounds past formal review: a panel that scored (partly or fully), the tiering
job, confirmation, the public notice and admission — all through the services."""

import datetime
from decimal import Decimal

from accounts.models import Organisation, Role, User
from accounts.services import create_account
from selection.choices import RoundStatus
from selection.models import ScoreSheet, SelectionRound, TieringRun
from selection.services import panel as panel_services
from selection.services import scoring
from selection.services import tiering as tiering_services
from selection.services.rounds import set_round_status

PANEL = ["expert1@demo.cn", "expert2@demo.cn", "expert3@demo.cn", "expert4@demo.cn",
         "expert5@demo.cn"]  # fmt: skip
AFFILIATION_BY_KIND = {
    "university": "university",
    "investment": "investment",
    "research": "research",
}


def _panelists(password):
    from demo.selection_seed import EXTRA_PANELISTS

    for email, phone, name, affiliation, org in EXTRA_PANELISTS:
        if not User.objects.filter(email=email).exists():
            organisation, _ = Organisation.objects.get_or_create(name=org, kind=affiliation)
            create_account(
                email=email,
                phone=phone,
                full_name=name,
                password=password,
                role=Role.PANELIST,
                organisation=organisation,
            )
    extra = {row[0]: row[3] for row in EXTRA_PANELISTS}
    users = User.objects.filter(email__in=PANEL).select_related("organisation")
    return [
        (u, extra.get(u.email) or AFFILIATION_BY_KIND.get(u.organisation.kind, "research"))
        for u in sorted(users, key=lambda u: PANEL.index(u.email))
    ]


def run_panel(selection_round, bureau, status, users, password):
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        panelists_per_application=3, hide_enterprise_names=status == RoundStatus.PANEL_REVIEW
    )
    selection_round.refresh_from_db()
    for user, affiliation in _panelists(password):
        panel_services.add_panel_member(
            selection_round, actor=bureau, user=user, affiliation=affiliation
        )
    for step in (RoundStatus.FORMAL_REVIEW, RoundStatus.PANEL_REVIEW):
        selection_round = set_round_status(selection_round, step, actor=bureau)
    panel_services.auto_assign(selection_round, actor=bureau, seed=selection_round.pk)
    sheets = list(
        ScoreSheet.objects.filter(assignment__application__round=selection_round)
        .select_related("assignment__panel_member__user", "assignment__application")
        .order_by("id")
    )
    # In panel review, expert1 leaves their sheets for the demo login to fill in.
    for n, sheet in enumerate(sheets):
        user = sheet.assignment.panel_member.user
        if status == RoundStatus.PANEL_REVIEW and user.email == "expert1@demo.cn":
            continue
        _score(sheet, user, 55 + (sheet.assignment.application_id * 7 + n * 3) % 40)
    if status == RoundStatus.PANEL_REVIEW:
        return
    selection_round = set_round_status(selection_round, RoundStatus.TIERING, actor=bureau)
    run = TieringRun.objects.create(round=selection_round, started_by=bureau)
    tiering_services.run_tiering(run)
    if status == RoundStatus.TIERING:
        return
    selection_round = tiering_services.confirm_results(selection_round, actor=bureau)
    if status == RoundStatus.CLOSED:
        after = selection_round.notice_ends_on + datetime.timedelta(days=1)
        tiering_services.finish_notice(selection_round, today=after)


def _score(sheet, user, percent):
    criteria = sheet.assignment.application.round.criteria.all()
    values = {
        c.pk: (
            (Decimal(percent) * c.max_score / 100).quantize(Decimal("1")),
            "材料翔实，论证充分。" if percent > 85 else "",
        )
        for c in criteria
    }
    scoring.save_scores(sheet, actor=user, values=values)
    scoring.submit_sheet(sheet, actor=user)
