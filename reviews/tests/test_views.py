"""The website's reviews page: what waits for a review, and writing one."""

import re

import pytest

from orders.tests.factories import delivered
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_reviews_page_and_writing_a_review(signed_in, shopper, django_assert_max_num_queries):
    assert b"Nothing to review right now" in signed_in.get("/account/reviews/").content
    order = delivered(shopper, quantities=(1, 1))
    item = order.items.first()
    with django_assert_max_num_queries(6):
        page = signed_in.get("/account/reviews/")
    assert item.product_name.encode() in page.content
    response = signed_in.post(
        f"/account/reviews/{item.product_id}/", {"review_text": "Good", "order_number": order.number}
    )
    assert response.status_code == 400 and b"Choose 1 to 5 stars." in response.content
    response = signed_in.post(
        f"/account/reviews/{item.product_id}/",
        {"rating": "4", "review_text": "Good", "order_number": order.number},
        follow=True,
    )
    assert b"Thanks for reviewing" in response.content
    assert Review.objects.get(customer=shopper).rating == 4
    again = signed_in.post(f"/account/reviews/{item.product_id}/", {"rating": "4", "review_text": "Again"})
    assert again.status_code == 400 and b"already reviewed" in again.content


def _ready_product(shopper):
    order = delivered(shopper, quantities=(1,))
    return order, order.items.get()


def test_errors_sit_next_to_their_fields_and_stars_are_in_visual_order(signed_in, shopper):
    order, item = _ready_product(shopper)
    response = signed_in.post(
        f"/account/reviews/{item.product_id}/", {"review_text": "x" * 5001, "order_number": order.number}
    )
    assert response.status_code == 400
    page = response.content.decode()
    stars = page.split("<legend>Your rating</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert f'id="id_{item.product_id}_rating_errors"><li>Choose 1 to 5 stars.</li>' in stars
    text = page.split("</fieldset>", 1)[1]
    assert "Ensure this value has at most 5000 characters" in text.split("</textarea>", 1)[1].split("</div>", 1)[0]
    # The radios in document order are 1 to 5 stars (left to right), each with its own label.
    assert re.findall(r'<input type="radio" name="rating" value="(\d)"', stars) == ["1", "2", "3", "4", "5"]
    assert re.findall(r'class="visually-hidden">([^<]+)<', stars) == [
        "1 star",
        "2 stars",
        "3 stars",
        "4 stars",
        "5 stars",
    ]


def test_a_star_only_review_from_the_website(signed_in, shopper):
    order, item = _ready_product(shopper)
    response = signed_in.post(f"/account/reviews/{item.product_id}/", {"rating": "5", "order_number": order.number})
    assert response.status_code == 302
    assert Review.objects.get(customer=shopper).review_text == ""
    page = signed_in.get("/account/reviews/").content.decode()
    assert '<label for="id_review_text">' not in page and 'aria-label="5 out of 5 stars"' in page


def test_edit_then_delete_a_pending_review(signed_in, shopper):
    from reviews import services

    order, item = _ready_product(shopper)
    review = services.review_submit(customer=shopper, product=item.product, rating=2, review_text="Meh")
    page = signed_in.get("/account/reviews/").content.decode()
    assert f'href="/account/reviews/{review.pk}/edit/"' in page
    assert f'href="/account/reviews/{review.pk}/delete/"' in page
    edit = signed_in.get(f"/account/reviews/{review.pk}/edit/").content.decode()
    assert 'value="2" id="id_rating_1" required checked' in edit and "\nMeh</textarea>" in edit
    refused = signed_in.post(f"/account/reviews/{review.pk}/edit/", {"rating": "9", "review_text": "Better"})
    assert refused.status_code == 400 and b"Choose 1 to 5 stars." in refused.content
    saved = signed_in.post(f"/account/reviews/{review.pk}/edit/", {"rating": "4", "review_text": ""}, follow=True)
    assert b"is saved" in saved.content
    assert (Review.objects.get(pk=review.pk).rating, Review.objects.get(pk=review.pk).review_text) == (4, "")
    assert b"Delete your review of" in signed_in.get(f"/account/reviews/{review.pk}/delete/").content
    done = signed_in.post(f"/account/reviews/{review.pk}/delete/", follow=True)
    assert b"is deleted" in done.content and not Review.objects.filter(pk=review.pk).exists()
    assert f"/account/reviews/{item.product_id}/" in done.content.decode()  # waiting for a review again


def test_only_the_author_and_only_while_pending(signed_in, shopper, other_shopper):
    from reviews import services

    _, item = _ready_product(shopper)
    review = services.review_submit(customer=shopper, product=item.product, rating=2, review_text="Meh")
    services.review_approve(review=review)
    page = signed_in.get("/account/reviews/").content.decode()
    assert f"/account/reviews/{review.pk}/edit/" not in page
    response = signed_in.post(f"/account/reviews/{review.pk}/edit/", {"rating": "5"}, follow=True)
    assert b"can no longer be changed" in response.content and Review.objects.get(pk=review.pk).rating == 2
    response = signed_in.post(f"/account/reviews/{review.pk}/delete/", follow=True)
    assert b"can no longer be changed" in response.content and Review.objects.filter(pk=review.pk).exists()
    signed_in.force_login(other_shopper)
    assert signed_in.get(f"/account/reviews/{review.pk}/edit/").status_code == 404
    assert signed_in.post(f"/account/reviews/{review.pk}/delete/").status_code == 404


def test_both_lists_come_a_page_at_a_time_each_under_its_own_name(signed_in, shopper):
    from reviews.tests.factories import submit
    from reviews.views import READY_PER_PAGE, REVIEWS_PER_PAGE

    order = delivered(shopper, quantities=(1,) * (READY_PER_PAGE + REVIEWS_PER_PAGE + 3))
    items = list(order.items.order_by("pk"))
    for item in items[: REVIEWS_PER_PAGE + 1]:  # one more than a page of written reviews
        submit(shopper, item.product)
    waiting = items[REVIEWS_PER_PAGE + 1 :]  # READY_PER_PAGE + 2 still waiting
    first = signed_in.get("/account/reviews/").content.decode()
    assert first.count('action="/account/reviews/') == READY_PER_PAGE  # one form per waiting product
    assert first.count('aria-label="Your review of') == REVIEWS_PER_PAGE
    assert 'href="?waiting=2"' in first and 'href="?page=2"' in first
    assert 'aria-label="Pages of products waiting for your review"' in first
    second = signed_in.get("/account/reviews/?waiting=2&page=2").content.decode()
    assert second.count('action="/account/reviews/') == len(waiting) - READY_PER_PAGE
    assert second.count('aria-label="Your review of') == 1
    # Each pager keeps the other list's page.
    assert 'href="?waiting=1&amp;page=2"' in second and 'href="?waiting=2&amp;page=1"' in second


@pytest.mark.parametrize(
    "data, initial",
    [(None, None), ({"p-rating": "9"}, None), ({"p-rating": "3", "p-review_text": "ok"}, None), (None, {"rating": 4})],
)
def test_the_stars_are_the_radio_buttons_django_would_draw(data, initial):
    """The review form's template (reviews/jinja2/reviews/review_fields.html) writes the rating's
    radio buttons itself (issue 28): the same inputs, checked, required and invalid states as the
    RadioSelect widget's, in the same order."""
    import re

    from reviews.forms import ReviewForm

    form = ReviewForm(data, initial=initial, prefix="p")
    if data is not None:
        form.is_valid()
    html = str(form)
    drawn = re.findall(r'<input type="radio"[^>]*>', html)
    assert drawn == [str(radio.tag()) for radio in form["rating"]]
    assert len(drawn) == 5
