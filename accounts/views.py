from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout(request, credentials=None, *args, **kwargs):
    """Shown by django-axes when an account has failed too often."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    context = {"form": LoginForm(request), "locked": True, "hours": hours}
    return render(request, "accounts/login.html", context, status=429)
