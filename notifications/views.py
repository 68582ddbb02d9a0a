from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from config.redirects import redirect_to_next
from notifications.models import Notification
from notifications.services import mark_read


@login_required
def notification_list(request):
    qs = Notification.objects.visible_to(request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request):
    ids = request.POST.getlist("id")
    mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None)
    return redirect_to_next(request, "notifications:list")
