"""FilterSets of the finance API lists (a value outside a filter's type or choices is a 400)."""

import django_filters

from config.filters import IdFilter, StrictFilterSet
from finance.models import (
    CreditScore,
    FinancialProduct,
    FinancingNeed,
    Grade,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    ListingCase,
    ListingStage,
    NeedKind,
    NeedStatus,
    Offer,
    OfferStatus,
    ProductKind,
)


class InstitutionFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=InstitutionStatus.choices)
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices)

    class Meta:
        model = Institution
        fields = ["status", "kind"]


class ProductFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=ProductKind.choices)
    institution = IdFilter(field_name="institution_id")

    class Meta:
        model = FinancialProduct
        fields = ["kind", "institution"]


class NeedFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices)
    kind = django_filters.ChoiceFilter(choices=NeedKind.choices)
    enterprise = IdFilter(field_name="enterprise_id")

    class Meta:
        model = FinancingNeed
        fields = ["status", "kind", "enterprise"]


class OfferFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=OfferStatus.choices)
    need = IdFilter(field_name="need_id")

    class Meta:
        model = Offer
        fields = ["status", "need"]


class CreditScoreFilter(StrictFilterSet):
    grade = django_filters.ChoiceFilter(choices=Grade.choices)
    enterprise = IdFilter(field_name="enterprise_id")

    class Meta:
        model = CreditScore
        fields = ["grade", "enterprise"]


class ListingCaseFilter(StrictFilterSet):
    stage = django_filters.ChoiceFilter(choices=ListingStage.choices)

    class Meta:
        model = ListingCase
        fields = ["stage"]
