from rest_framework import serializers

from accounts.models import Region
from registry.models import Enterprise


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class EnterpriseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.full_name", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    tier = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "region",
            "region_name",
            "industry",
            "industry_display",
            "category",
            "category_display",
            "tier",
            "founded_on",
            "size",
            "listing_status",
            "website",
            "created_at",
        ]

    def get_tier(self, obj) -> str | None:
        return obj.tier


class EnterpriseDetailSerializer(EnterpriseSerializer):
    class Meta(EnterpriseSerializer.Meta):
        fields = [
            *EnterpriseSerializer.Meta.fields,
            "contact_name",
            "contact_phone",
            "contact_email",
            "description",
            "updated_at",
        ]
