"""Masking of constituents' personal data on public pages (docs/privacy.md): 138****5678, 王**.

The template filters in liaison/templatetags/masking.py are these functions.
"""


def mask_mobile(value: str) -> str:
    value = str(value or "")
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_name(value: str) -> str:
    value = str(value or "")
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_in_text(text: str, *, name: str = "", mobile: str = "") -> str:
    """Mask a person's own name and mobile wherever someone typed them into text shown publicly."""
    if not text:
        return text
    if mobile:
        text = text.replace(mobile, mask_mobile(mobile))
    # A one-character name would mask that character everywhere in the text.
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text
