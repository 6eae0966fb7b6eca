"""A deputy's patrol report ("cloud supervision", 云督政): photos from the phone become a concern."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from liaison import roles
from liaison.roles import role_required
from petitions import services
from petitions.forms.work import PatrolForm
from petitions.models import Concern


# never_cache: the form carries a one-time token; a copy kept for Back would offer the used token
# again, and a different report typed into it would be taken for the first one.
@never_cache
@require_http_methods(["GET", "POST"])
@role_required(roles.DEPUTY)
def patrol(request: HttpRequest) -> HttpResponse:
    deputy = getattr(request.user, "deputy", None)
    if deputy is None or not deputy.is_active:
        # A deputy login not (or no longer) linked to an active deputy has nobody to report as.
        raise PermissionDenied
    if request.method == "POST":
        form = PatrolForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            concern, created = services.concern_submit(
                channel=Concern.Channel.PATROL, category=data["category"], content=data["content"],
                place=data["place"], village=data["village"], deputy=deputy, submitted_by=request.user,
                photos=data["photos"], latitude=data["latitude"], longitude=data["longitude"],
                # A deputy's own photo of a public problem carries no constituent's data: shown publicly.
                is_public=True, submission_key=form.submission_key(request.user),
            )
            if created:
                messages.success(request, _("Your report is filed as %(code)s. Forward it to a unit from here.")
                                 % {"code": concern.tracking})
            else:
                messages.info(request, _("This report was already recorded as %(code)s; it was not filed again.")
                              % {"code": concern.tracking})
            return redirect("desk:concern", concern.tracking)
        messages.error(request, _("Please correct the form below."))
    else:
        form = PatrolForm(initial={"token": PatrolForm.new_token()})
    return render(request, "petitions/work/patrol.html", {"form": form})
