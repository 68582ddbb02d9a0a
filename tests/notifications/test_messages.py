"""A notification reads in the reader's language, whatever language its sender browsed in:
it is kept as a message id and parameters and translated when shown."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop as N_

from notifications.messages import Message
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory
from vouchers.models import ApplicationStatus

pytestmark = pytest.mark.django_db


def returned_application(user):
    title = Message(
        N_("“%(p)s”的申请：%(s)s"), p="杭州市算力券", s=ApplicationStatus.RETURNED.label
    )
    return notify([user], title=title, body="请补充合同附件。")


def test_sent_by_an_english_reader_it_is_stored_and_emailed_in_chinese(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        [row] = returned_application(user)
    row.refresh_from_db()
    assert row.title == "“杭州市算力券”的申请：退回修改"
    assert mail.outbox[0].subject.endswith("“杭州市算力券”的申请：退回修改")


def test_each_reader_sees_it_in_their_language_on_the_page_and_in_the_api(client):
    user = UserFactory()
    returned_application(user)
    client.force_login(user)
    english = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Application to “杭州市算力券”: Returned for revision" in english.decode()
    chinese = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "“杭州市算力券”的申请：退回修改" in chinese.decode()
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Application to “杭州市算力券”: Returned for revision" in home
    api = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["results"][0]["title"] == "Application to “杭州市算力券”: Returned for revision"
    assert api["results"][0]["body"] == "请补充合同附件。"  # the sender's own words stay as written


def test_a_message_inside_a_message_and_plain_text_notifications():
    user = UserFactory()
    inner = Message(N_("数据资源登记已受理：%(n)s"), n="城市交通数据集")
    notify([user], title="系统维护通知", body=Message(N_("登记编号：%(c)s"), c=inner))
    row = Notification.objects.get()
    assert row.shown_title == "系统维护通知" and row.messages.keys() == {"body"}
    with translation.override("en"):
        assert row.shown_body.startswith("Registration number: ")
        assert "城市交通数据集" in row.shown_body and "登记已受理" not in row.shown_body


def test_a_number_stays_a_number_for_a_count_placeholder():
    user = UserFactory()
    notify([user], title=Message(N_("数据管理部门向贵机构推荐了 %(n)d 家优质企业"), n=3))
    row = Notification.objects.get()
    assert row.title == "数据管理部门向贵机构推荐了 3 家优质企业"
    with translation.override("en"):
        assert "3" in row.shown_title and "推荐" not in row.shown_title
