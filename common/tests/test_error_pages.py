"""The website's own 404 and 500 pages in production (DEBUG off): branded, with the way back to
My Account and to the shop; the 500 page needs neither context processors nor the database."""

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urls


def _fails(request):
    raise RuntimeError("something broke")


urlpatterns = [path("account/broken/", _fails), *site_urls]
handler404 = "common.views.not_found"
handler500 = "common.views.server_failure"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SHOP_URL = "https://chai.example.com/"
    settings.SHOP_NAME = "Chai Co."
    return settings


@pytest.mark.django_db
def test_an_unknown_page_is_the_branded_404(client, production):
    response = client.get("/account/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and "We could not find that page" in page
    assert '<a class="btn" href="/account/">Go to My Account</a>' in page
    assert page.count('href="https://chai.example.com/"') == 2 and "Back to Chai Co." in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_failure_is_the_branded_500_without_the_database(production, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get("/account/broken/")
    page = response.content.decode()
    assert response.status_code == 500 and "Something went wrong on our side" in page
    assert 'href="https://chai.example.com/"' in page and '<a class="btn" href="/account/">' in page
    with django_assert_num_queries(0):
        assert "Back to Chai Co." in get_template("500.html").render()  # no request, no context


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_500_and_a_refusal_speak_the_readers_language(production, django_assert_num_queries):
    """Issue 30: read from the language cookie, else Accept-Language, with no database; a refusal
    comes before any view (a NUL in the address here), on the website and on the API alike."""
    from django.core.management import call_command

    call_command("translations_compile", verbosity=0)
    hindi = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="hi")
    with django_assert_num_queries(0):
        failed = hindi.get("/account/broken/")
    page = failed.content.decode()
    assert failed.status_code == 500 and '<html lang="hi">' in page
    assert "हमारी तरफ़ कुछ गड़बड़ हो गई" in page and "Chai Co. पर वापस" in page and "Something went" not in page
    refused = hindi.get("/account/?q=%00")
    page = refused.content.decode()
    assert refused.status_code == 400 and "यह अनुरोध पढ़ा नहीं जा सका" in page and "NUL अक्षर" in page
    api = hindi.get("/api/v1/storefront/orders?q=%00")
    assert api.status_code == 400 and api.json()["code"] == "bad_request"
    assert api.json()["message"] == "अनुरोध में NUL अक्षर है, जिसकी अनुमति नहीं है।"
    english = Client(raise_request_exception=False).get("/account/?q=%00").content.decode()
    assert '<html lang="en">' in english and "This request could not be read" in english
