"""Pages that moved with their app answer at their old addresses with a permanent
redirect (links in notifications and e-mails already sent keep working)."""

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/registry/policies/", "/policies/"),
        ("/registry/policies/mine/7/?tab=a", "/policies/mine/7/?tab=a"),
        ("/registry/grants/3/deliver/", "/policies/grants/3/deliver/"),
        ("/registry/resources/mine/", "/resources/mine/"),
        ("/registry/resource-notice/", "/resources/notice/"),
        ("/registry/resource-revisions/5/decide/", "/resources/revisions/5/decide/"),
        ("/selection/adjustment/rules/", "/adjustment/rules/"),
        ("/selection/my/adjustments/", "/adjustment/mine/"),
    ],
)
def test_old_address_redirects_permanently(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


@pytest.mark.django_db
def test_the_public_notice_answers_at_its_new_address_without_login(client):
    assert client.get("/resources/notice/").status_code == 200
