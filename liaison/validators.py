import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers: 11 digits starting 13–19.
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a mainland mobile number of 11 digits, e.g. 13812345678."),
    code="invalid_mobile",
)

# Landlines with area code, optional extension; mobiles are accepted too.
phone_validator = RegexValidator(
    r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$",
    _("Enter a phone number such as 0576-87654321 or a mobile number."),
    code="invalid_phone",
)


_MOBILE_NOISE = re.compile(r"[\s\-()]")


def normalise_mobile(value: str) -> str:
    """13800000002 however it was typed or pasted: spaces, dashes, brackets, +86/0086, or an
    Excel number cell read as '13800000002.0'. Validation is mobile_validator's job."""
    digits = _MOBILE_NOISE.sub("", str(value or "")).removesuffix(".0")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits
