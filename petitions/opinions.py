"""An enterprise's opinion, gathered on a deputies' enterprise visit (deputies.EnterpriseOpinion), becomes a
concern in one step. Here and not in deputies: deputies may not import petitions."""

from django.db import transaction

from deputies.models import Deputy, EnterpriseOpinion, Village
from petitions import services
from petitions.models import Category, Concern


def opinion_raise_concern(
    *, opinion: EnterpriseOpinion, category: Category, content: str, submitted_by, deputy: Deputy | None = None,
    village: Village | None = None,
) -> tuple[Concern, bool]:
    """File the opinion as a concern (channel ENTERPRISE, the enterprise as its place) and keep its tracking
    code on the opinion, the activity page's link. Returns (concern, created).

    Once per opinion: the row is locked while filing, an opinion that has its concern returns it, and the
    submission key is the opinion's own, so even two racing posts file one concern. Raises ValidationError
    (concern_submit's)."""
    with transaction.atomic():
        opinion = EnterpriseOpinion.objects.select_for_update().select_related("activity").get(pk=opinion.pk)
        if opinion.concern_tracking:
            return Concern.objects.get(tracking=opinion.concern_tracking), False
        concern, created = services.concern_submit(
            channel=Concern.Channel.ENTERPRISE, category=category, content=content, deputy=deputy, village=village,
            place=opinion.activity.enterprise, submitted_by=submitted_by,
            submission_key=f"opinion:{opinion.key.hex}"[:40])
        opinion.concern_tracking = concern.tracking
        opinion.save(update_fields=["concern_tracking"])
    return concern, created
