"""Dashboard figures of the measure apps: scenarios (应用场景) and financing (投融资).

Staff see their jurisdiction's scenarios, the responses to them and the financing needs;
a publisher its own scenarios and the responses it received; an institution the needs
shared with it and its own offers. Each figure is a count over the same `visible_to` rows
as the list it links to (the app's page where it filters that way, else the export
page), so the figure and the list agree.
"""

from django.utils.translation import gettext_lazy as _

from finance.models import FinancingNeed, NeedStatus, Offer, OfferStatus, is_institution_user
from finance.services.talks import institution_of
from portal.figures import Chart, Figure, counts, export_url, url
from scenarios.models import Response, ResponseStatus, Scenario, ScenarioStatus, is_publisher_user
from scenarios.services.publishers import own_publisher


def _by_status(title, key, rows, choices, link, **query) -> Chart:
    n = counts(rows, "status")
    return Chart(key, title, [
        Figure(label, n.get(value, 0), link(status=value, **query)) for value, label in choices
    ])  # fmt: skip


def scenario_chart(user, *, jurisdiction=None, publisher=None) -> Chart:
    """Scenarios by state: of the lists issued in `jurisdiction` by their implementation
    region (the scenario list's `region` filter), or of `publisher`."""
    rows = Scenario.objects.visible_to(user)
    query = {}
    if publisher is not None:
        rows, query = rows.filter(scenario_list__publisher=publisher), {"publisher": publisher.pk}
    elif jurisdiction is not None and jurisdiction.level != "country":
        rows = rows.filter(region__path__contains=f"{jurisdiction.code}/")
        query = {"region": jurisdiction.code}
    return _by_status(_("应用场景（按状态）"), "scenarios", rows, ScenarioStatus.choices,
                      lambda **q: export_url("scenarios", **q), **query)  # fmt: skip


def response_chart(user) -> Chart:
    return _by_status(_("揭榜方案（按状态）"), "responses", Response.objects.visible_to(user),
                      ResponseStatus.choices,
                      lambda **q: url("scenarios:response-list", **q))  # fmt: skip


def need_chart(user) -> Chart:
    return _by_status(_("融资需求（按状态）"), "needs", FinancingNeed.objects.visible_to(user),
                      NeedStatus.choices, lambda **q: url("finance:need-list", **q))  # fmt: skip


def offer_chart(user) -> Chart:
    return _by_status(_("融资报价（按状态）"), "offers", Offer.objects.visible_to(user),
                      OfferStatus.choices,
                      lambda **q: export_url("financing-offers", **q))  # fmt: skip


def measure_charts(user, jurisdiction) -> list[Chart]:
    """The staff dashboard's scenario and financing charts."""
    return [scenario_chart(user, jurisdiction=jurisdiction), response_chart(user),
            need_chart(user)]  # fmt: skip


def party_dashboard(user) -> dict | None:
    """The publisher's and the institution's key figures (None for other roles, or before
    their organisation is approved)."""
    if is_publisher_user(user):
        publisher = own_publisher(user)
        if publisher is None:
            return None
        charts = [scenario_chart(user, publisher=publisher), response_chart(user)]
        return {"title": _("我的场景数据"), "charts": charts}
    if is_institution_user(user):
        institution = institution_of(user)
        if institution is None or not institution.is_approved:
            return None
        return {"title": _("我的融资对接数据"), "charts": [need_chart(user), offer_chart(user)]}
    return None
