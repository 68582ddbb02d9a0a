from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class RegionTokenAuthentication(TokenAuthentication):
    """Token auth that loads the user's jurisdiction with the user (saves a query)."""

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user__region").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("无效的令牌。")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该账户已停用。"))
        return (token.user, token)
