"""An opinion gathered on an enterprise visit (deputies' activities) becomes a concern in one step."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from deputies.models import EnterpriseOpinion
from liaison import roles
from liaison.roles import role_required
from petitions.forms.opinions import OpinionConcernForm
from petitions.opinions import opinion_raise_concern


@require_http_methods(["GET", "POST"])
@role_required(roles.STAFF, roles.OFFICIAL)
def opinion_concern(request: HttpRequest, key) -> HttpResponse:
    opinion = EnterpriseOpinion.objects.select_related("activity").filter(key=key).first()
    if opinion is None:
        raise Http404
    if opinion.concern_tracking:
        # Filed already (a second tab, Back and submit again): the concern it became.
        messages.info(request, _("This opinion is already concern %(code)s.") % {"code": opinion.concern_tracking})
        return redirect("desk:concern", opinion.concern_tracking)
    deputies = opinion.activity.deputies.all()
    form = OpinionConcernForm(request.POST or None, deputies=deputies,
                              initial={"content": opinion.text, "deputy": deputies.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        concern, created = opinion_raise_concern(
            opinion=opinion, category=data["category"], content=data["content"], deputy=data["deputy"],
            village=data["village"], submitted_by=request.user)
        if created:
            messages.success(request, _("The opinion is filed as concern %(code)s.") % {"code": concern.tracking})
        else:
            messages.info(request, _("This opinion is already concern %(code)s.") % {"code": concern.tracking})
        return redirect("desk:concern", concern.tracking)
    return render(request, "petitions/work/opinion_concern.html", {"form": form, "opinion": opinion})
