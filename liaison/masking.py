"""Masking of constituents' personal data on public pages and in the back office until revealed
(docs/privacy.md): 138****5678, 王**, and the address they gave privately: 东******.

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


def mask_place(value: str) -> str:
    """An address given privately (the place typed on the form): its first character, the rest starred."""
    value = str(value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * min(max(len(value) - 1, 1), 6)


def mask_in_text(text: str, *, name: str = "", mobile: str = "", place: str = "") -> str:
    """Mask a person's own name, mobile and the address they gave privately wherever someone typed them
    into text shown publicly."""
    if not text:
        return text
    if mobile:
        text = text.replace(mobile, mask_mobile(mobile))
    # The address before the name: a name inside the address would otherwise break its match.
    place = (place or "").strip()
    if len(place) >= 2:
        text = text.replace(place, mask_place(place))
    # A one-character name would mask that character everywhere in the text.
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text
