from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("邮箱或手机号"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _("邮箱/手机号或密码不正确。连续失败 10 次后账户将被锁定 1 小时。"),
        "inactive": _("该账户已停用，请联系管理员。"),
    }
