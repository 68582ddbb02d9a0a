from django.contrib.auth import authenticate
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import RegionTokenAuthentication
from accounts.models import ApiToken, User
from accounts.services import issue_api_token, revoke_api_token


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text=_("邮箱或手机号"))
    password = serializers.CharField(style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("只显示这一次，请妥善保存；系统只保存其摘要。"))
    prefix = serializers.CharField(help_text=_("令牌前缀，用于识别和撤销。"))


class ApiTokenSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "created", "revoked_at", "active"]
        read_only_fields = fields

    def get_active(self, token) -> bool:
        return token.revoked_at is None


class MeSerializer(serializers.ModelSerializer):
    region = serializers.CharField(
        source="region.code", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = ["id", "email", "phone", "full_name", "role", "region"]


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class ObtainTokenView(APIView):
    """Exchange e-mail/phone and password for a new API token (same lockout as the login
    page). The key is in this response only: the portal keeps its digest, not the key."""

    permission_classes = [AllowAny]
    authentication_classes = [RegionTokenAuthentication]  # no session: 401 names the scheme
    throttle_classes = []

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, **data.validated_data)
        if getattr(request._request, "axes_locked_out", False):
            raise AuthenticationFailed(_("该账户登录失败次数过多，已锁定 1 小时。"))
        if user is None:
            raise AuthenticationFailed(_("邮箱/手机号或密码不正确。"))
        token, key = issue_api_token(user=user)
        return Response({"token": key, "prefix": token.prefix})


class MeView(APIView):
    """Who the caller is."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ApiTokenViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own API keys (prefix and dates; never a key or its digest), active
    first. `revoke` stops one for good. Another user's key answers 404."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built with no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).order_by("revoked_at", "-created")

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = revoke_api_token(self.get_object(), actor=request.user)
        return Response(ApiTokenSerializer(token).data)
