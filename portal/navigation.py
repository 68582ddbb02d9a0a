from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from audit.models import can_read_audit
from finance.permissions import takes_part_in_finance
from vouchers.models.programs import is_provider_user


def takes_part_in_vouchers(user) -> bool:
    """Staff, enterprises and the users of a provider organisation."""
    return user.is_admin or user.is_bureau or user.is_enterprise or is_provider_user(user)


# (label, url name, icon, who sees it): the roles, a predicate on the user, or None for
# every signed-in user.
NAVIGATION = [
    (_("工作台"), "home", "bi-house", None),
    (_("企业库"), "registry:enterprise-list", "bi-buildings", {Role.BUREAU, Role.ADMIN}),
    (_("企业认证"), "registry:verification-queue", "bi-patch-question", {Role.BUREAU, Role.ADMIN}),
    (_("辖区迁移"), "registry:transfer-list", "bi-signpost-split", {Role.BUREAU, Role.ADMIN}),
    (_("年度报告审核"), "registry:report-list", "bi-clipboard-data", {Role.BUREAU, Role.ADMIN}),
    (_("服务跟进"), "registry:follow-up-list", "bi-telephone-forward", {Role.BUREAU, Role.ADMIN}),
    (_("监测分析"), "registry:dashboard", "bi-bar-chart", {Role.BUREAU, Role.ADMIN}),
    (_("本企业"), "registry:my-enterprise", "bi-building", {Role.ENTERPRISE}),
    (_("年度报告"), "registry:report-list", "bi-graph-up", {Role.ENTERPRISE}),
    (_("数据资源"), "resources:resource-mine", "bi-database", {Role.ENTERPRISE}),
    (_("数据资源登记"), "resources:resource-list", "bi-database-check", {Role.BUREAU, Role.ADMIN}),
    (_("惠企政策"), "policies:policy-list", "bi-patch-check", {Role.BUREAU, Role.ADMIN}),
    (_("政策匹配"), "policies:my-policies", "bi-patch-check", {Role.ENTERPRISE}),
    (
        _("数据券·算法券·算力券"),
        "vouchers:overview",
        "bi-ticket-perforated",
        takes_part_in_vouchers,
    ),
    (_("投融资对接"), "finance:overview", "bi-bank", takes_part_in_finance),
    (_("我的场景"), "scenarios:publisher-home", "bi-lightbulb", {Role.PUBLISHER}),
    (_("场景审核"), "scenarios:review", "bi-lightbulb", {Role.BUREAU, Role.ADMIN}),
    (
        _("揭榜方案"),
        "scenarios:response-list",
        "bi-send-check",
        {Role.ENTERPRISE, Role.PUBLISHER, Role.BUREAU, Role.ADMIN},
    ),  # fmt: skip
    (_("创新产品目录"), "scenarios:catalogue", "bi-box-seam", None),
    (_("年度遴选"), "selection:index", "bi-award", {Role.BUREAU, Role.ADMIN, Role.ENTERPRISE}),
    (_("待形式审查"), "selection:review-queue", "bi-ui-checks", {Role.BUREAU, Role.ADMIN}),
    (_("评审任务"), "selection:panel-home", "bi-clipboard-check", {Role.PANELIST}),
    (_("动态调整"), "adjustment:adjustment", "bi-arrow-down-up", {Role.BUREAU, Role.ADMIN}),
    (_("层级与调整"), "adjustment:my-adjustments", "bi-arrow-down-up", {Role.ENTERPRISE}),
    (
        _("加入申请"),
        "registry:membership-list",
        "bi-person-plus",
        {Role.BUREAU, Role.ADMIN, Role.ENTERPRISE},
    ),
    (_("消息通知"), "notifications:list", "bi-bell", None),
    (_("我的导出"), "exports:list", "bi-download", {Role.BUREAU, Role.ADMIN, Role.ENTERPRISE}),
    (_("结果公示"), "selection:public-notice", "bi-megaphone", None),
    (_("数据资源公示"), "resources:notice", "bi-megaphone", None),
    (_("应用场景清单"), "scenarios:public-list", "bi-lightbulb", None),
    (_("报表"), "reports:index", "bi-file-earmark-pdf", {Role.BUREAU, Role.ADMIN}),
    (_("审计日志"), "audit:list", "bi-journal-text", can_read_audit),
    (_("接口文档"), "api-docs", "bi-braces", None),
]


# Pages that live under another URL but belong to a navigation item.
ALSO_ACTIVE = {"selection:panel-home": ("/selection/sheets/",)}


def _under(path, prefix, *, exact):
    return path == prefix if exact else path.startswith(prefix)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = Role.ADMIN if user.is_admin else user.role
    path = request.path
    items = []
    for label, name, icon, roles in NAVIGATION:
        if callable(roles):
            if not roles(user):
                continue
        elif roles is not None and role not in roles:
            continue
        url = reverse(name)
        prefixes = (url,) if name == "home" else (url, *ALSO_ACTIVE.get(name, ()))
        matched = max(
            (len(p) for p in prefixes if _under(path, p, exact=name == "home")), default=0
        )
        items.append({"label": label, "url": url, "icon": icon, "matched": matched})
    # The most specific item wins: /adjustment/ is 动态调整, not 年度遴选.
    best = max((item["matched"] for item in items), default=0)
    for item in items:
        matched = item.pop("matched")
        item["active"] = best > 0 and matched == best
    return {"nav_items": items, "user_role_label": Role(role).label}
