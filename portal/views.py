from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from portal.home import attention_for


@login_required
def home(request):
    context = {"cards": attention_for(request.user), "today": timezone.localdate()}
    return render(request, "home.html", context)
