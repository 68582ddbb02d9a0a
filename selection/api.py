from rest_framework import mixins, viewsets

from config.filters import IdFilter, StrictFilterSet
from registry.permissions import StaffReviewerApi
from selection import selectors
from selection.models import ScoreSheet
from selection.review_queue import ReviewQueueFilter, review_queue
from selection.serializers import (
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ReviewQueueSerializer,
    RoundSerializer,
    ScoreSheetSerializer,
)


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Selection rounds the caller may see (staff: their jurisdiction; enterprises:
    published rounds covering their region)."""

    serializer_class = RoundSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return selectors.round_list(self.request.user).order_by("-year", "id")


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications, scoped exactly like the pages: an application outside the
    caller's view answers 404."""

    filterset_fields = ["round", "status", "category"]

    def get_queryset(self):
        qs = selectors.application_list(self.request.user).order_by("-id")
        if self.action == "retrieve":
            qs = qs.prefetch_related("figures")
        return qs

    def get_serializer_class(self):
        return ApplicationDetailSerializer if self.action == "retrieve" else ApplicationSerializer


class ScoreSheetFilter(StrictFilterSet):
    round = IdFilter(field_name="assignment__application__round", help_text="Round id.")

    class Meta:
        model = ScoreSheet
        fields = ["round"]


class ScoreSheetViewSet(viewsets.ReadOnlyModelViewSet):
    """Score sheets (one per assignment): a panelist sees only their own, never a
    conflicted one; staff see those of the rounds they manage."""

    serializer_class = ScoreSheetSerializer
    filterset_class = ScoreSheetFilter

    def get_queryset(self):
        return (
            ScoreSheet.objects.visible_to(self.request.user)
            .select_related("assignment__panel_member__user")
            .prefetch_related("scores__criterion")
            .order_by("id")
        )


class ReviewQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Staff's queue of applications awaiting formal review across the open rounds of their
    jurisdiction, oldest submission first, filtered like the page (`round`, `status`)."""

    serializer_class = ReviewQueueSerializer
    filterset_class = ReviewQueueFilter
    permission_classes = [StaffReviewerApi]

    def get_queryset(self):
        return review_queue(self.request.user)
