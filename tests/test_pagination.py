from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_page_links_keep_the_filters_and_replace_the_page():
    request = RequestFactory().get("/desk/concerns/", {"status": "assigned", "page": "2", "village": "3"})
    page = Paginator(range(100), 30).get_page(2)

    html = render_to_string("partials/pagination.html", {"page": page}, request=request)

    assert 'href="?status=assigned&amp;page=1&amp;village=3"' in html
    assert 'href="?status=assigned&amp;page=3&amp;village=3"' in html
