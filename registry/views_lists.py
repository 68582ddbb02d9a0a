"""Staff lists of registry entries (入库记录) and service records (服务记录): filtered by
their strict FilterSets (registry/list_filters.py), searched by enterprise, paginated; the
dashboard's figures link here, and each list exports (reports/exports/lists.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from config.pagination import DeferredJoinPaginator
from registry.list_filters import RegistryEntryFilter, ServiceRecordFilter, entry_rows, service_rows
from registry.views_queues import require_staff

PER_PAGE = 30


def _list(request, filterset_class, rows, template):
    require_staff(request.user)
    filterset = filterset_class(request.GET, queryset=rows(request.user))
    page = DeferredJoinPaginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, {"filter": filterset, "page": page})


@login_required
def entry_list(request):
    return _list(request, RegistryEntryFilter, entry_rows, "registry/entry_list.html")


@login_required
def service_list(request):
    return _list(request, ServiceRecordFilter, service_rows, "registry/service_list.html")
