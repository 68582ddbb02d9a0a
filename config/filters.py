"""Strict list filters: a filter value the list cannot use is a 400 naming the field, never
a silently ignored parameter that answers the whole list.

Every API FilterSet, declared or built from `filterset_fields`, derives from
`StrictFilterSet` (`StrictFilterBackend` refuses any other), so that:
- an integer (a year, an id) is an integer within the database's range — `0.5`, `abc` and
  `2**64` are refused, and the schema documents the type and bounds;
- a foreign key is filtered by its id, as an integer: an id that exists outside the
  caller's view and one that does not exist both answer an empty list (no 400 that would
  tell them apart);
- a boolean is `true` or `false` (or `1`/`0`), nothing else;
- a choice is one of its choices (django-filter's own ChoiceField already refuses others),
  and in the API not empty either: a page's "全部" sends `kind=`, an API client leaves the
  parameter out (the schema's enum has no empty value).
"""

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

BIGGEST = 2**63 - 1  # a signed 64-bit integer: SQLite's and PostgreSQL's bigint


@extend_schema_field({"type": "integer", "minimum": -BIGGEST, "maximum": BIGGEST})
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes any decimal, e.g. `year=0.5`)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -BIGGEST)
        kwargs.setdefault("max_value", BIGGEST)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGGEST})
class IdFilter(IntegerFilter):
    """An object's id: a positive whole number, compared as is (no lookup that would
    answer 400 for an id that does not exist or is out of view)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (`1`/`0`); empty means "not filtered"; anything else is refused
    (Django's NullBooleanField reads every unknown value as "not filtered")."""

    widget = forms.TextInput
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise forms.ValidationError(_("请填写 true 或 false。"), code="invalid") from None

    def validate(self, value):
        pass


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


_INTEGERS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)
_RELATIONS = (models.ForeignKey, models.OneToOneField, models.OneToOneRel)


class StrictFilterSet(RestFilterSet):
    FILTER_DEFAULTS = {
        **RestFilterSet.FILTER_DEFAULTS,
        **{field: {"filter_class": IntegerFilter} for field in _INTEGERS},
        **{field: {"filter_class": IdFilter} for field in _RELATIONS},
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


class StrictFilterBackend(DjangoFilterBackend):
    """The API's filter backend (settings.REST_FRAMEWORK): invalid values are a 400 with the
    field's message (`raise_exception`), and every FilterSet is a StrictFilterSet."""

    filterset_base = StrictFilterSet
    raise_exception = True

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(filterset_class, StrictFilterSet):
            raise ImproperlyConfigured(
                f"{type(view).__name__}.filterset_class must derive from "
                "config.filters.StrictFilterSet"
            )
        return filterset_class

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = [
                name for name, f in filterset.filters.items()
                if isinstance(f, django_filters.ChoiceFilter)
                and not isinstance(f, django_filters.OrderingFilter)  # a list: empty is none
                and request.query_params.get(name, None) == ""
            ]  # fmt: skip
            if empty:
                raise ValidationError(
                    {name: [_("请选择一个取值，或省略该参数。")] for name in empty}
                )
        return filterset
