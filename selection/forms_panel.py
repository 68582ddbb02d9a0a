from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from selection.models.panel import DECLARABLE_CONFLICT_KINDS, Affiliation


class PanelistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = f"（{obj.organisation.name}）" if obj.organisation else ""
        return f"{obj.full_name}{org}"


class AddMemberForm(forms.Form):
    user = PanelistChoiceField(queryset=User.objects.none(), label=_("专家"))
    affiliation = forms.ChoiceField(label=_("所属类型"), choices=Affiliation.choices)

    def __init__(self, *args, selection_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(role=Role.PANELIST, is_active=True)
            .exclude(panel_seats__round=selection_round)
            .select_related("organisation")
            .order_by("full_name")
        )


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(label=_("移出理由"), max_length=300)


class DismissConflictForm(forms.Form):
    reason = forms.CharField(label=_("排除理由"), max_length=300)


class DeclareConflictForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("冲突类型"), choices=[("", _("- 请选择 -")), *DECLARABLE_CONFLICT_KINDS]
    )
    detail = forms.CharField(label=_("具体情况"), max_length=300)


class DecideConflictReportForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结论"),
        choices=[("uphold", _("回避成立（撤回该评分）")), ("dismiss", _("不予回避（保留评分）"))],
    )
    reason = forms.CharField(label=_("处理理由"), max_length=300)


def plain(number) -> str:
    """100.00 -> "100", 12.50 -> "12.5": points without noise."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ScoreSheetForm(forms.Form):
    """One value and one comment per criterion of the round."""

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            current = scores.get(c.pk)
            self.fields[f"value_{c.pk}"] = forms.DecimalField(
                label=_("%(name)s（满分 %(max)s，权重 %(w)s%%）")
                % {"name": c.name, "max": plain(c.max_score), "w": plain(c.weight)},
                min_value=0,
                max_value=c.max_score,
                decimal_places=2,
                required=False,
                initial=current.value if current else None,
                help_text=c.guidance,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("%(name)s · 评语") % {"name": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.comment if current else "",
            )

    def rows(self):
        return [(self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict:
        """criterion id -> (value, comment) for every criterion; an emptied value is None,
        which clears a saved score."""
        return {
            c.pk: (self.cleaned_data.get(f"value_{c.pk}"), self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }
