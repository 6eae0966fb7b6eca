import secrets

from django.db import IntegrityError, transaction

from deputies.models import IssuedCode

# No 0/o, 1/l/i: the code is sometimes read aloud or typed from a poster.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 7  # 31**7 ≈ 2.7e10 codes: not enumerable by scanning


def issue_public_code() -> str:
    """Return a code never handed out before, recording it so it never is again."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        try:
            with transaction.atomic():
                IssuedCode.objects.create(code=code)
            return code
        except IntegrityError:
            continue
