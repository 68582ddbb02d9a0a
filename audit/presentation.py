"""Audit events as a person reads them: action names and field changes in words."""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

# Stable action keys -> labels. Each app's services add their actions here.
ACTION_LABELS = {
    "account.created": _("创建账户"),
    "enterprise.registered": _("企业注册"),
    "enterprise.updated": _("修改企业信息"),
    "membership.requested": _("申请加入企业"),
    "membership.active": _("同意加入企业"),
    "membership.rejected": _("拒绝加入企业"),
    "registry.admitted": _("入库"),
    "registry.tier_changed": _("层级调整"),
    "round.created": _("创建遴选轮次"),
    "round.updated": _("修改遴选轮次"),
    "round.open": _("发布遴选轮次"),
    "round.formal_review": _("进入形式审查"),
    "round.panel_review": _("进入专家评审"),
    "round.tiering": _("进入分级确定"),
    "round.notice": _("进入公示"),
    "round.closed": _("结束遴选轮次"),
    "application.started": _("开始遴选申报"),
    "application.updated": _("修改遴选申请"),
    "application.attachment_added": _("上传申请附件"),
    "application.attachment_removed": _("删除申请附件"),
    "application.submitted": _("提交遴选申请"),
    "application.resubmitted": _("重新提交遴选申请"),
    "application.returned": _("形式审查退回"),
    "application.eligible": _("形式审查通过"),
    "application.ineligible": _("形式审查未通过"),
    "application.withdrawn": _("撤回遴选申请"),
}


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field is None:
        return value
    if field.is_relation and field.related_model is not None:
        try:
            related = field.related_model.objects.filter(pk=value).first()
        except (TypeError, ValueError, ValidationError):  # recorded as a label, not a key
            return value
        return str(related) if related else value
    if field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    return value


def changes(event) -> list[tuple]:
    """(field label, before, after) for each field the event recorded."""
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    model = event.content_type.model_class() if event.content_type_id else None
    rows = []
    for key in dict.fromkeys([*before, *after]):
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                field = None
        label = field.verbose_name if field is not None else key
        old = _display(field, before.get(key)) if key in before else None
        new = _display(field, after.get(key)) if key in after else None
        rows.append((label, old, new))
    return rows
