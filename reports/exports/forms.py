from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import ExportFormat


class ExportForm(forms.Form):
    """Which columns, which format; the list's filter travels in `query`."""

    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    columns = forms.MultipleChoiceField(
        label=_("导出列"), required=False, widget=forms.CheckboxSelectMultiple
    )
    format = forms.ChoiceField(
        label=_("格式"),
        choices=ExportFormat.choices,
        initial=ExportFormat.CSV,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["columns"].choices = [(c.key, c.label) for c in spec.columns]
        self.fields["columns"].initial = spec.default_keys
