"""Staff's queue of applications awaiting formal review across the open rounds of their
jurisdiction (issue #14), with bulk "eligible" for those nothing sets apart."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.pagination import DeferredJoinPaginator
from selection.models import SelectionRound
from selection.review_queue import (
    REVIEWING_ROUNDS,
    bulk_blockers,
    review_queue,
    review_queue_filter,
)
from selection.services.review import mark_eligible_in_bulk

PER_PAGE = 20
BULK_LIMIT = 100


def _require_staff(user):
    if not user.is_staff_reviewer:
        raise PermissionDenied


def _rounds(user):
    rounds = SelectionRound.objects.filter(status__in=REVIEWING_ROUNDS)
    if not user.is_admin:
        rounds = rounds.filter(region__path__startswith=user.region.path)
    return rounds.select_related("region").order_by("-year", "id")


@login_required
def queue(request):
    """Staff: applications waiting for formal review in the rounds they manage."""
    _require_staff(request.user)
    filterset = review_queue_filter(request.user, request.GET)
    page = DeferredJoinPaginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    for application in page:
        application.blockers = bulk_blockers(application)
    context = {
        "filter": filterset,
        "page": page,
        "rounds": _rounds(request.user),
    }
    return render(request, "selection/review_queue.html", context)


@login_required
@require_POST
def mark_eligible(request):
    """Staff mark the ticked applications eligible, each through the formal-review service
    (one review, one audit event and one notification per application)."""
    _require_staff(request.user)
    ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()][:BULK_LIMIT]
    if not ids:
        messages.error(request, _("请先勾选要判定通过的申请。"))
        return redirect(_back(request))
    chosen = review_queue(request.user).filter(pk__in=ids).order_by("id")
    marked, skipped = mark_eligible_in_bulk(chosen, actor=request.user)
    if marked:
        messages.success(
            request,
            ngettext(
                "已将 %(n)d 份申请判定为形式审查通过，企业将收到通知。",
                "已将 %(n)d 份申请判定为形式审查通过，企业将收到通知。",
                len(marked),
            )
            % {"n": len(marked)},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d 份申请未判定（填报数据与已确认年报不符、退回后重新提交，"
                "或已不在待审状态），请逐份审查。",
                "%(n)d 份申请未判定（填报数据与已确认年报不符、退回后重新提交，"
                "或已不在待审状态），请逐份审查。",
                len(skipped),
            )
            % {"n": len(skipped)},
        )
    return redirect(_back(request))


def _back(request):
    query = QueryDict(request.POST.get("querystring", "")).urlencode()
    url = reverse("selection:review-queue")
    return f"{url}?{query}" if query else url
