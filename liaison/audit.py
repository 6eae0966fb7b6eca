"""The audit log of constituents' personal data (docs/privacy.md): revealing a full mobile, opening a
constituent's record, every export, every correction and erasure. Rows are append-only (AuditEntry)."""

from django.contrib.contenttypes.models import ContentType
from django_scopes import get_scope

from liaison.models import AuditEntry
from liaison.privacy import mask_mobiles_in
from liaison.scoping import current_township

Action = AuditEntry.Action


def audit_record(*, actor, action: str, subject=None, label: str = "", reason: str = "", township=None
                 ) -> list[AuditEntry]:
    """Write who did `action` to what, and why. Returns the rows written.

    `subject` is the row touched (a Constituent, a Concern…): its kind and id are stored, never its
    name or number; `label` says what in words a reader can follow (a tracking code, an export's dates).
    The township is the subject's, else `township`, else the current scope's; a county account's
    export over the whole county writes one row per township in its scope, so each township's log
    shows that its data left. `actor` None is the system.
    """
    if subject is not None:
        township = getattr(subject, "township", None) or township
    townships = [township] if township is not None else _townships_in_scope()
    common = {
        "actor": actor if actor is not None and actor.is_authenticated else None, "action": action,
        "subject_type": ContentType.objects.get_for_model(subject) if subject is not None else None,
        "subject_id": subject.pk if subject is not None else None,
        "subject": (label or (str(subject.pk) if subject is not None else ""))[:200],
        # The row is kept for ever and erasure cannot reach it: a number typed into the reason is masked.
        "reason": mask_mobiles_in(reason),
    }
    return [AuditEntry.objects.create(township_id=_pk(t), **common) for t in townships]


def _townships_in_scope() -> list:
    if (township := current_township()) is not None:
        return [township]
    value = get_scope().get("township")
    if isinstance(value, (list, tuple)) and value:
        return list(value)
    raise ValueError("audit_record needs a township: none given and none in scope")


def _pk(township) -> int:
    return township if isinstance(township, int) else township.pk
