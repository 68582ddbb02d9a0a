"""Institutions (registration, staff approval) and their product catalogue."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from audit.services import record_event, snapshot
from conditions.engine import validate
from config.constraint_messages import message_for
from config.errors import DomainError
from config.text_limits import check_length, fit_text
from config.workflow import apply_transition
from finance.models import (
    DEBT_PRODUCTS,
    INSTITUTION_TRANSITIONS,
    FinancialProduct,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    ProductKind,
    Stage,
)
from finance.permissions import (
    acts_for_institution,
    can_decide_institution,
    can_register_institution,
)
from finance.services.edits import save_changes
from finance.services.notices import institution_users
from notifications.messages import Message
from notifications.services import notify
from registry.choices import Industry

PRODUCT_FIELDS = [
    "name", "kind", "min_amount", "max_amount", "min_rate", "max_rate", "min_term_months",
    "max_term_months", "stages", "industries", "conditions", "description", "is_active",
]  # fmt: skip


def register_institution(organisation, *, actor, introduction="") -> Institution:
    """An institution user registers its organisation; staff approve it before it sees any
    need. Refusals: not its user (nor an admin); organisation not a bank, investor,
    guarantor or fund; registered already. Side effects: audit `institution.registered`."""
    if not can_register_institution(actor, organisation):
        raise DomainError(_("只有本机构的账户可以登记为金融机构。"))
    if organisation.kind not in InstitutionKind.values:
        raise DomainError(_("只有银行、投资机构、融资担保机构或政府引导基金可以登记为金融机构。"))
    introduction = check_length(
        Institution, "introduction", introduction, "finance_institution_introduction_length"
    )
    try:
        with transaction.atomic():
            institution = Institution.objects.create(
                organisation=organisation,
                kind=organisation.kind,
                introduction=introduction,
                created_by=actor,
            )
            record_event(
                actor=actor,
                action="institution.registered",
                obj=institution,
                after={"kind": institution.kind},
            )
    except IntegrityError:
        raise DomainError(_("该机构已登记为金融机构。")) from None
    return institution


def set_institution_status(institution, new_status, *, actor, reason="") -> Institution:
    """The one way an institution's status changes (INSTITUTION_TRANSITIONS), decided by
    staff of its jurisdiction. Suspending needs a reason.
    Side effects: audit `institution.<status>`; its users notified."""
    if not can_decide_institution(actor, institution):
        raise DomainError(_("只有机构所在辖区的数据管理部门可以审核金融机构。"))
    reason = (reason or "").strip()[:500]
    if new_status == InstitutionStatus.SUSPENDED and not reason:
        raise DomainError(_("暂停金融机构时请填写原因。"), field="reason")
    with transaction.atomic():
        institution = apply_transition(
            institution,
            new_status,
            transitions=INSTITUTION_TRANSITIONS,
            actor=actor,
            action_prefix="institution",
            refused=_("金融机构状态当前为“%(now)s”，不能改为“%(new)s”。"),
            message=reason,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        notify(
            institution_users(institution),
            title=Message(N_("贵机构的状态为“%(s)s”"), s=InstitutionStatus(new_status).label),
            body=reason,
        )
    return institution


def approve_institution(institution, *, actor) -> Institution:
    return set_institution_status(institution, InstitutionStatus.APPROVED, actor=actor)


def suspend_institution(institution, *, actor, reason) -> Institution:
    return set_institution_status(
        institution, InstitutionStatus.SUSPENDED, actor=actor, reason=reason
    )


def _check_product(values):
    kind = values["kind"]
    if kind not in ProductKind.values:
        raise DomainError(str(message_for("finance_product_kind_valid")), field="kind")
    if not (values["name"] or "").strip():
        raise DomainError(_("请填写产品名称。"), field="name")
    low, high = values["min_amount"], values["max_amount"]
    if low is None or high is None or Decimal(low) <= 0 or Decimal(high) < Decimal(low):
        raise DomainError(str(message_for("finance_product_amount_range")), field="min_amount")
    if kind in DEBT_PRODUCTS:
        low, high = values["min_rate"], values["max_rate"]
        if low is None or high is None or not (0 <= Decimal(low) <= Decimal(high) <= 36):
            raise DomainError(str(message_for("finance_product_rate_range")), field="min_rate")
    elif values["min_rate"] is not None or values["max_rate"] is not None:
        raise DomainError(str(message_for("finance_product_rates_for_loans")), field="min_rate")
    low, high = values["min_term_months"], values["max_term_months"]
    if (low is None) != (high is None) or (low is not None and not 0 < low <= high):
        raise DomainError(str(message_for("finance_product_term_range")), field="min_term_months")
    if set(values["stages"]) - set(Stage.values):
        raise DomainError(_("请选择有效的投资阶段。"), field="stages")
    if set(values["industries"]) - set(Industry.values):
        raise DomainError(_("请选择有效的行业。"), field="industries")
    if values["conditions"]:
        problems = validate(values["conditions"])
        if problems:
            raise DomainError("；".join(problems), field="conditions")


def _product_values(**values):
    values.setdefault("min_rate", None)
    values.setdefault("max_rate", None)
    values.setdefault("min_term_months", None)
    values.setdefault("max_term_months", None)
    values["stages"] = sorted(set(values.get("stages") or []))
    values["industries"] = sorted(set(values.get("industries") or []))
    values["conditions"] = values.get("conditions") or None
    values["description"] = values.get("description") or ""
    return values


def _fit_texts(values) -> None:
    values["name"] = fit_text(FinancialProduct, "name", values["name"])
    values["description"] = check_length(
        FinancialProduct, "description", values["description"],
        "finance_product_description_length",
    )  # fmt: skip


def add_product(institution, *, actor, **values) -> FinancialProduct:
    """A catalogue line of the institution. Refusals: not its user; the ranges
    (FinancialProduct's checks); invalid conditions; same name.
    Side effects: audit `financial_product.added`."""
    if not acts_for_institution(actor, institution):
        raise DomainError(_("只有该机构的账户可以发布产品。"))
    values = _product_values(**values)
    _check_product(values)
    _fit_texts(values)
    try:
        with transaction.atomic():
            product = FinancialProduct.objects.create(institution=institution, **values)
            record_event(
                actor=actor,
                action="financial_product.added",
                obj=product,
                after=snapshot(product, ["name", "kind", "min_amount", "max_amount"]),
            )
    except IntegrityError:
        raise DomainError(str(message_for("finance_product_unique_name")), field="name") from None
    return product


def update_product(product, *, actor, **changes) -> FinancialProduct:
    """The institution edits a product (offers already made keep their own terms).
    Refusals: not its user; a field outside the catalogue's; those of add_product.
    Side effects: audit `financial_product.updated` with the changed fields only."""
    if not acts_for_institution(actor, product.institution):
        raise DomainError(_("只有该机构的账户可以修改产品。"))
    unknown = set(changes) - (set(PRODUCT_FIELDS) - {"is_active"})
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    try:
        with transaction.atomic():
            locked = FinancialProduct.objects.select_for_update().get(pk=product.pk)
            values = _product_values(**{**{f: getattr(locked, f) for f in PRODUCT_FIELDS},
                                        **changes})  # fmt: skip
            _check_product(values)
            _fit_texts(values)
            save_changes(locked, values, PRODUCT_FIELDS, actor=actor,
                         action="financial_product.updated")  # fmt: skip
    except IntegrityError:
        raise DomainError(str(message_for("finance_product_unique_name")), field="name") from None
    return locked


def set_product_active(product, *, actor, active: bool) -> FinancialProduct:
    """Take a product off sale or back on. Side effects: audit `financial_product.updated`."""
    if not acts_for_institution(actor, product.institution):
        raise DomainError(_("只有该机构的账户可以修改产品。"))
    with transaction.atomic():
        locked = FinancialProduct.objects.select_for_update().get(pk=product.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active", "updated_at"])
            record_event(
                actor=actor,
                action="financial_product.updated",
                obj=locked,
                after={"is_active": active},
            )
    return locked
