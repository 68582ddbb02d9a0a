"""Shared field settings of the selection models."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

MONEY = {"max_digits": 16, "decimal_places": 2}
POINTS = {"max_digits": 6, "decimal_places": 2}
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
