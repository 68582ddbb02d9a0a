"""The notification every demo account starts with, so that no notification centre is empty."""

from django.urls import reverse

from notifications.services import notify


def welcome(user):
    notify(
        [user],
        title="欢迎使用数创企业培育库",
        body="这是演示账号，页面中的企业与数据均为虚构。",
        url=reverse("home"),
        email=False,
    )
