from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailOrPhoneBackend(ModelBackend):
    """Log in with the e-mail address or the mobile number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        try:
            user = User.objects.get_by_login(username)
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_account_key(request, credentials):
    """Throttle per account, whether it was named by e-mail or by phone.

    axes asks again later without the credentials (and a JSON API request has no
    POST data), so the key found the first time is kept on the request.
    """
    identifier = (credentials or {}).get("username")
    if identifier is None:
        cached = getattr(request, "_axes_account_key", None)
        if cached is not None:
            return cached
        identifier = request.POST.get("username", "") if request is not None else ""
    try:
        key = f"user:{User.objects.get_by_login(identifier).pk}"
    except User.DoesNotExist:
        key = identifier.strip().lower()
    if request is not None:
        request._axes_account_key = key
    return key
