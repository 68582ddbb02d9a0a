from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.exports.spec import load_lists
from reports.models import Export, ExportFormat


class ExportRequestSerializer(serializers.Serializer):
    list = serializers.ChoiceField(choices=sorted(load_lists()), help_text=_("要导出的列表"))
    filter = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text=_("列表页的查询字符串，例如 tier=growth&ordering=-founded_on"),
    )
    columns = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        default=lambda: [],  # `list` is the field above in this class body
        max_length=60,
        help_text=_("导出列；为空时导出默认列"),
    )
    format = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)


class ExportSerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="list_name", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Export
        fields = [
            "id",
            "list",
            "title",
            "query",
            "columns",
            "format",
            "status",
            "total",
            "processed",
            "percent",
            "created_at",
            "finished_at",
            "expires_at",
            "error",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, export) -> str | None:
        if not export.downloadable:
            return None
        return reverse("export-download", args=[export.pk])
