from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import LoginForm
from accounts.models import ApiToken
from accounts.services import MAX_ACTIVE_TOKENS, issue_api_token, revoke_api_token
from config.errors import DomainError


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout(request, credentials=None, *args, **kwargs):
    """Shown by django-axes when an account has failed too often."""
    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    context = {"form": LoginForm(request), "locked": True, "hours": hours}
    return render(request, "accounts/login.html", context, status=429)


@login_required
def api_tokens(request):
    """The user's own API keys: issue one (its key shown on this answer only, never kept)
    and see which are active; revoking is a separate POST with a confirmation."""
    new_key = None
    if request.method == "POST":
        try:
            token, new_key = issue_api_token(user=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("已生成令牌 %(p)s…，请立即复制保存。") % {"p": token.prefix}
            )
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created")[:50]
    context = {"tokens": tokens, "new_key": new_key, "limit": MAX_ACTIVE_TOKENS}
    # Signed-in pages are sent no-store (config.middleware): the new key stays in no cache.
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_api_token(token, actor=request.user)
    messages.success(request, _("令牌 %(p)s… 已撤销。") % {"p": token.prefix})
    return redirect("account-tokens")
