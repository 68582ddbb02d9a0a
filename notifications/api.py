from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from notifications.models import Notification
from notifications.services import mark_read


class NotificationSerializer(serializers.ModelSerializer):
    # In the language of the request, like the pages (Accept-Language or ?lang).
    title = serializers.CharField(source="shown_title", read_only=True)
    body = serializers.CharField(source="shown_body", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at"]


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField()


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The current user's notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_fields = []

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"])
    def read_all(self, request):
        return Response({"marked_read": mark_read(user=request.user)})
