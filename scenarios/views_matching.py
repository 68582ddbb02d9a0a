"""Two-way matching pages: an enterprise's "为我推荐" and a scenario's "推荐企业" tab for
its publisher and the staff of its jurisdiction (scenarios.matching scores both)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from scenarios.matching import enterprise_pool, recommend_enterprises, recommend_scenarios
from scenarios.models import Scenario
from scenarios.permissions import can_see_recommended_enterprises
from scenarios.views import own_enterprise


@login_required
def recommended(request):
    """为我推荐: the open scenarios that fit the user's enterprise, each with its reasons."""
    if not request.user.is_enterprise:
        raise PermissionDenied
    enterprise = own_enterprise(request.user)
    return render(request, "scenarios/recommended.html", {
        "enterprise": enterprise, "matches": recommend_scenarios(enterprise),
    })  # fmt: skip


@login_required
def recommended_enterprises(request, pk):
    """推荐企业: registry enterprises for the scenario (404 outside its visibility; 403 for
    anyone but its publisher and staff whose jurisdiction holds it)."""
    scenario = get_object_or_404(
        Scenario.objects.visible_to(request.user).select_related(
            "region", "scenario_list__publisher__organisation", "scenario_list__jurisdiction"
        ),
        pk=pk,
    )
    if not can_see_recommended_enterprises(request.user, scenario):
        raise PermissionDenied
    matches = recommend_enterprises(scenario, pool=enterprise_pool(request.user))
    return render(request, "scenarios/recommended_enterprises.html", {
        "scenario": scenario, "matches": matches,
    })  # fmt: skip
