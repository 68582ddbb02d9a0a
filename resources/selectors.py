"""Reads of data resources."""

from resources.filters import DataResourceFilter
from resources.models import DataResource


def resource_filter(user, params) -> DataResourceFilter:
    """The staff list page's filter over the resources `user` may see; its `.qs` is what
    the page shows and the export writes."""
    return DataResourceFilter(params, queryset=DataResource.objects.visible_to(user).for_list())
