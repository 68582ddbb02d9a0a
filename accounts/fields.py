"""API fields over the accounts models."""

import re

from django.utils.encoding import smart_str
from rest_framework import serializers

CODE = re.compile(r"[0-9]{6}")


class RegionCodeField(serializers.SlugRelatedField):
    """A region by its GB/T 2260 code. Anything but six digits is "no such region" before
    any query: a NUL byte, say, would otherwise reach PostgreSQL and fail the request."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool) and 0 <= data <= 999_999:
            data = f"{data:06d}"  # 330100 as a number is the same code
        if not isinstance(data, str) or not CODE.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=smart_str(data))
        return super().to_internal_value(data)
