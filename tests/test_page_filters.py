"""A list page given a filter value it cannot use says so beside the list (and ignores
only that value) instead of silently showing the unfiltered list."""

import pytest

from tests.factories import BureauUserFactory, region

pytestmark = pytest.mark.django_db

PAGES = [
    ("/registry/enterprises/", "tier", "golden"),
    ("/policies/", "status", "lost"),
    ("/resources/", "status", "lost"),
    ("/vouchers/applications/", "status", "lost"),
    ("/vouchers/programs/", "status", "lost"),
    ("/adjustment/", "year", "abc"),
]


@pytest.mark.parametrize(("path", "name", "bad"), PAGES)
def test_list_page_names_the_filter_it_ignored(client, path, name, bad):
    client.force_login(BureauUserFactory(region=region("330100")))
    plain = client.get(path)
    assert plain.status_code == 200
    assert 'data-testid="filter-errors"' not in plain.content.decode()
    refused = client.get(path, {name: bad})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert 'data-testid="filter-errors"' in body and "以下筛选条件无效，已忽略" in body
