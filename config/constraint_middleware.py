"""The safety net for pages: a constraint violation that reaches a view becomes its sentence.

Forms show constraint sentences beside their fields (config.forms.ConstraintMessagesMixin)
and services refuse with DomainError first; when an IntegrityError still escapes a view,
the person sees the constraint's sentence instead of a raw name or a server error. A POST
goes back to the page it came from with the sentence as an error message; anything else
answers 400 with the sentence.
"""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render

from config.constraint_messages import describe_violation


class ConstraintViolationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, IntegrityError):
            return None
        known = describe_violation(exception)
        if known is None:
            return None  # an unknown integrity error stays a server error, and is logged
        _name, entry = known
        if request.method == "POST":
            messages.error(request, entry.message)
            return redirect(request.get_full_path())
        return render(request, "400.html", {"message": entry.message}, status=400)
