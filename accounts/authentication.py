from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.tokens import find_active_token


class RegionTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against the stored digests (accounts.tokens); loads the
    user's jurisdiction with the user. A wrong, revoked or malformed key is a 401."""

    def authenticate_credentials(self, key):
        token = find_active_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("无效的令牌。"))
        return (token.user, token)
