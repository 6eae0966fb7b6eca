"""Reading a page's form as a browser sends it (the production tier's and the soak's phones, over real HTTP)."""

from html.parser import HTMLParser


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    """The form's hidden fields as the page gives them (its one-time token and whatever else)."""
    parser = _HiddenInputs()
    parser.feed(html)
    return parser.fields
