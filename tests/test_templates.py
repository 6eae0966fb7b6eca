"""Template hygiene that rendering does not catch."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_no_template_comment_spans_lines():
    # {# ... #} is a one-line comment in Django: split over lines it is printed on the page as text.
    broken = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not broken, f"multi-line {{# #}} comments (use {{% comment %}}): {broken}"


def test_no_template_syntax_reaches_a_page(client, db):
    for path in ("/", "/d/", "/t/", "/d/nosuch1/", "/accounts/login/"):
        body = client.get(path).content.decode()
        assert "{#" not in body and "{%" not in body and "#}" not in body, path
