from django.views.debug import SafeExceptionReporterFilter


class DomainError(Exception):
    """A refused action, with a message for the person who tried it."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)


class SensitiveDataFilter(SafeExceptionReporterFilter):
    """Error reports hide what views mark with `sensitive_post_parameters` (passwords, bank
    accounts) and `sensitive_variables` always: on the DEBUG page of `make dev` too, which
    Django's filter leaves unfiltered (a shared screen or a pasted traceback is enough)."""

    def is_active(self, request):
        return True
