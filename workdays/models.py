"""The holiday calendar that working-day deadlines are counted on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A day that breaks the Mon–Fri rule: a public holiday, or a make-up working day
    (调休, `is_workday`) on a weekend. Edited in the Django admin each November when the
    State Council publishes the next year's schedule."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        db_table = "registry_holiday"  # moved from registry: the table kept its name

    def __str__(self):
        return f"{self.date} {self.name}"
