"""Custom API actions document their real request body and look the object up before
they read the body: a missing object is a 404 whatever was sent."""

import pytest
from rest_framework.test import APIClient

from config.api_urls import router
from tests.factories import AdminUserFactory

pytestmark = pytest.mark.django_db

ACTIONS = [
    (prefix, viewset, action)
    for prefix, viewset, _basename in router.registry
    for action in viewset.get_extra_actions()
]
DETAIL_WRITES = [
    (prefix, action.url_path)
    for prefix, _viewset, action in ACTIONS
    if action.detail and set(action.mapping) - {"get"}
]


@pytest.mark.parametrize(
    ("viewset", "action"),
    [(viewset, action) for _prefix, viewset, action in ACTIONS],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_every_action_declares_its_schema(viewset, action):
    """@extend_schema(request=…, responses=…) on each action: without it drf-spectacular
    documents the viewset's own serializer as the body, which the action does not take."""
    assert action.kwargs.get("schema") is not None, f"{viewset.__name__}.{action.__name__}"


def test_there_are_detail_write_actions_to_check():
    assert len(DETAIL_WRITES) >= 25


@pytest.mark.parametrize(("prefix", "url_path"), DETAIL_WRITES)
def test_detail_action_on_a_missing_object_is_404_before_the_body(prefix, url_path):
    api = APIClient()
    api.force_authenticate(AdminUserFactory())
    response = api.post(f"/api/v1/{prefix}/999999/{url_path}/", {}, format="json")
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "未找到该对象，或您无权查看。"}
