"""The listing pipeline (上市培育): staff accompany an enterprise through 辅导 → 申报 → 受理
→ 注册 → 上市. Listing flows into the registry as the enterprise's listing status, which
the dynamic adjustment already reads to graduate listed enterprises (adjustment/rules.py)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from config.text_limits import check_length, fit_text
from config.workflow import apply_transition
from finance.models import LISTING_TRANSITIONS, ListingCase, ListingStage
from finance.models.listing import BOARDS
from finance.permissions import can_serve_enterprise
from registry.services import update_enterprise


def open_listing_case(enterprise, *, actor, target_board, adviser, notes="") -> ListingCase:
    """Put an enterprise into the pipeline at 辅导. Refusals: not staff of its jurisdiction;
    invalid board; no adviser; in the pipeline already. Side effects: audit
    `listing.created` on its timeline."""
    if not can_serve_enterprise(actor, enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以维护上市培育。"))
    if target_board not in dict(BOARDS):
        raise DomainError(_("请选择有效的目标板块。"), field="target_board")
    adviser = fit_text(ListingCase, "adviser", adviser)
    if not adviser:
        raise DomainError(_("请填写保荐机构或辅导机构。"), field="adviser")
    notes = check_length(ListingCase, "notes", notes, "finance_listing_notes_length")
    try:
        with transaction.atomic():
            case = ListingCase.objects.create(
                enterprise=enterprise, target_board=target_board, adviser=adviser, notes=notes,
                created_by=actor,
            )  # fmt: skip
            record_event(
                actor=actor, action="listing.created", obj=case, enterprise=enterprise,
                after={"target_board": target_board, "adviser": adviser},
            )  # fmt: skip
    except IntegrityError:
        raise DomainError(_("该企业已在上市培育名单中。")) from None
    return case


def advance_listing(case, *, actor, notes="", listed_on=None) -> ListingCase:
    """Move the case to its next stage (LISTING_TRANSITIONS). Reaching 上市 needs the date
    and sets the enterprise's listing status to the target board through the registry
    (update_enterprise), so the dynamic adjustment graduates it.
    Side effects: audit `listing.<stage>`; those of update_enterprise when listed."""
    if not can_serve_enterprise(actor, case.enterprise):
        raise DomainError(_("只有企业所在辖区的数据管理部门可以维护上市培育。"))
    current = ListingStage(case.stage)
    following = sorted(LISTING_TRANSITIONS[current], key=ListingStage.values.index)
    if not following:
        raise DomainError(_("该企业已上市。"))
    new = following[0]
    fields = {}
    if new == ListingStage.LISTED:
        if not isinstance(listed_on, datetime.date) or listed_on > timezone.localdate():
            raise DomainError(_("请填写上市日期（不晚于今天）。"), field="listed_on")
        fields["listed_on"] = listed_on
    notes = check_length(ListingCase, "notes", notes or case.notes, "finance_listing_notes_length")
    with transaction.atomic():
        case = apply_transition(
            case, new, transitions=LISTING_TRANSITIONS, actor=actor, action_prefix="listing",
            refused=_("上市培育当前为“%(now)s”，不能改为“%(new)s”。"), state_field="stage",
            notes=notes, **fields,
        )  # fmt: skip
        if new == ListingStage.LISTED:
            update_enterprise(case.enterprise, actor=actor, listing_status=case.target_board)
    return case
