"""The bare view: the API's enterprise list without DRF, as a floor to compare against.

Same rows (visible_to the bench bureau user), same filter, same ordering, same page
size and the same fields as registry.serializers.EnterpriseSerializer, plus the
count. No authentication: it is only mounted under bench.settings, on loopback.
"""

import functools

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone

from accounts.models import RegionLevel, User
from registry.choices import Industry, InnovationCategory
from registry.models import Enterprise

PAGE_SIZE = 20
FIELDS = (
    "id",
    "name",
    "uscc",
    "region__code",
    "region__name",
    "region__parent__name",
    "region__parent__level",
    "industry",
    "category",
    "registry_entry__tier",
    "founded_on",
    "size",
    "listing_status",
    "website",
    "created_at",
)
INDUSTRY_LABELS = dict(Industry.choices)
CATEGORY_LABELS = dict(InnovationCategory.choices)
JSON_PARAMS = {"ensure_ascii": False, "separators": (",", ":")}  # as DRF's JSONRenderer


@functools.cache
def bench_user():
    """The bench bureau user, looked up once per process."""
    return User.objects.select_related("region").get(email=settings.BENCH_USER_EMAIL)


def _row(r):
    parent_level = r["region__parent__level"]
    region_name = r["region__name"]
    if parent_level and parent_level != RegionLevel.COUNTRY:
        region_name = f"{r['region__parent__name']}{region_name}"  # Region.full_name
    return {
        "id": r["id"],
        "name": r["name"],
        "uscc": r["uscc"],
        "region": r["region__code"],
        "region_name": region_name,
        "industry": r["industry"],
        "industry_display": str(INDUSTRY_LABELS[r["industry"]]),
        "category": r["category"],
        "category_display": str(CATEGORY_LABELS[r["category"]]),
        "tier": r["registry_entry__tier"],
        "founded_on": r["founded_on"].isoformat(),
        "size": r["size"],
        "listing_status": r["listing_status"],
        "website": r["website"],
        "created_at": timezone.localtime(r["created_at"]).isoformat(),
    }


def _error(detail, status):
    return JsonResponse({"detail": detail}, status=status, json_dumps_params=JSON_PARAMS)


def bare_enterprises(request):
    qs = Enterprise.objects.visible_to(bench_user())
    industry = request.GET.get("industry")
    if industry:
        if industry not in Industry.values:
            return _error("invalid industry", 400)
        qs = qs.filter(industry=industry)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return _error("Invalid page.", 404)
    count = qs.count()
    offset = (page - 1) * PAGE_SIZE
    if page < 1 or (page > 1 and offset >= count):
        return _error("Invalid page.", 404)
    rows = qs.order_by("name", "id").values(*FIELDS)[offset : offset + PAGE_SIZE]
    return JsonResponse(
        {"count": count, "results": [_row(r) for r in rows]}, json_dumps_params=JSON_PARAMS
    )
