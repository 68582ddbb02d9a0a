"""Notification texts kept as their message id and parameters, so that each reader sees a
notification in the language they browse in, whatever language its sender browsed in.

    notify(users, title=Message(N_("申领 %(i)s 被退回修改"), i=claim.invoice_number))

The id is the zh-hans source string (mark it with `gettext_noop`, so it is extracted and
so the sender's language is not applied to it). A parameter is kept as text, except a lazily
translated label (a choices label, `gettext_lazy`) or another Message, which are kept by
their ids and translated when shown, and a number, kept a number.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext


class Message:
    def __init__(self, msgid: str, /, **params):
        self.msgid = str(msgid)
        self.params = params

    def as_data(self) -> dict:
        return {"id": self.msgid, "params": {k: _param(v) for k, v in self.params.items()}}

    def __str__(self) -> str:
        return render(self.as_data())


def _param(value):
    if isinstance(value, Message):
        return {"message": value.as_data()}
    if isinstance(value, Promise) and getattr(value, "_args", None):
        return {"label": str(value._args[0])}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value  # kept a number, for %(n)d
    return str(value)


def _shown(value) -> str:
    if isinstance(value, dict) and "message" in value:
        return render(value["message"])
    if isinstance(value, dict) and "label" in value:
        return gettext(value["label"])
    return value


def render(data: dict) -> str:
    """The message in the active language (its source text where no translation exists)."""
    text = gettext(data["id"])
    params = {k: _shown(v) for k, v in data.get("params", {}).items()}
    return text % params if params else text


def as_source(text) -> tuple[str, dict | None]:
    """(the zh-hans text stored in the row, for e-mail, search and the admin; the data that
    renders it in any language, or None for a plain string)."""
    if isinstance(text, Message):
        with translation.override(settings.LANGUAGE_CODE):
            return str(text), text.as_data()
    return str(text), None


def label_of(obj, field: str):
    """The choices label of `obj.<field>` as its lazy label, for a Message parameter (where
    `get_<field>_display()` would fix it in the sender's language)."""
    value = getattr(obj, field)
    return dict(obj._meta.get_field(field).flatchoices).get(value, value)
