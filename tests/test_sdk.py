"""The public storefront SDK, unmodified, in managed mode against a live test server."""

import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from accounts.models import User
from accounts.services import user_create
from common.testing import require_service
from common.tests.imagefiles import jpeg_with_gps

SDK_DIR = Path(__file__).parent / "sdk"


@pytest.fixture(scope="session")
def sdk_installed():
    """Node and the SDK (`make test` installs it with `npm ci`); without them the test skips,
    saying so (a failure with REQUIRE_SERVICES=1, as in CI)."""
    require_service("node")


def run_sdk(script: str, *args: str) -> dict:
    result = subprocess.run(["node", script, *args], cwd=SDK_DIR, capture_output=True, text=True, timeout=120)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no output from the SDK script\nstdout:{result.stdout}\nstderr:{result.stderr}"
    observations = json.loads(lines[-1])
    assert result.returncode == 0 and "failed" not in observations, observations
    return observations


@pytest.mark.django_db(transaction=True)
def test_sdk_managed_session_login_user_details_logout_register(sdk_installed, live_server, settings):
    settings.DEBUG = True  # for x-debug-mode on registration
    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234", first_name="Sam")

    seen = run_sdk(
        "auth_flow.mjs",
        f"{live_server.url}/api/v1/storefront",
        "sdk@example.com",
        "sdk-pass-1234",
        "sdk-new@example.com",
    )

    assert seen["bootstrap"]["isAnonymous"] is True and seen["bootstrap"]["isLoggedIn"] is False
    assert seen["bootstrap"]["userId"]
    assert seen["login"]["userIdInAnswer"] == user.id
    assert seen["afterLogin"] == {"userId": user.id, "customerId": user.id, "isLoggedIn": True}
    assert seen["userDetails"] == {"id": user.id, "email": "sdk@example.com"}
    assert seen["refresh"] == {"changed": True, "userId": user.id}
    assert seen["afterLogout"]["isAnonymous"] is True
    assert seen["afterLogout"]["isLoggedIn"] is False
    assert seen["afterLogout"]["userId"] not in (None, user.id)
    assert seen["afterLogout"]["userDetailsStatus"] == 403
    assert seen["afterLogout"]["userDetailsCode"] == "forbidden"
    new_user = User.objects.get(email="sdk-new@example.com")
    assert seen["registered"] == {
        "email": "sdk-new@example.com",
        "verified": True,
        "sdkUserId": new_user.id,
        "answerUserId": new_user.id,
        "isLoggedIn": True,
    }


@pytest.mark.django_db(transaction=True)
def test_sdk_profile_endpoints(sdk_installed, live_server, settings, tmp_path):
    settings.DEBUG = True  # for x-debug-mode on the codes
    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234", first_name="Sam")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps())
    # The script reads the code of the email change from the "mailbox", as the shopper would.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")

    seen = run_sdk(
        "profile_flow.mjs",
        f"{live_server.url}/api/v1/storefront",
        "sdk@example.com",
        "sdk-pass-1234",
        "sdk-moved@example.com",
        str(photo),
        str(tmp_path / "mail"),
    )

    assert seen["details"] == {"id": user.id, "firstName": "Sam"}
    assert seen["updated"] == {"firstName": "Samira", "lastName": "Khan"}
    assert seen["emailChange"] == {
        "answer": {"otpAction": "update-email", "hasToken": True, "emailStill": "sdk@example.com"},
        "email": "sdk-moved@example.com",
        "verified": True,
        "tokenEmail": "sdk-moved@example.com",
    }
    user.refresh_from_db()
    assert seen["image"]["url"] == seen["image"]["getUrl"]
    assert seen["image"]["url"] == f"{live_server.url}{user.profile_image.url}"
    assert seen["changePassword"] == {"tokensReplaced": True, "stillSignedIn": True}
    assert seen["reset"] == {"userId": user.id, "isLoggedIn": True, "loginAgain": True}
    assert user.check_password("reset-pass-1357")


@pytest.mark.django_db(transaction=True)
def test_sdk_address_book(sdk_installed, live_server):
    user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")

    seen = run_sdk("address_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "sdk-pass-1234")

    assert seen["empty"] == {"count": 0, "total": 0}
    assert seen["created"] == {"firstDefaults": [True, True], "secondDefaults": [False, True]}
    assert seen["got"] == {"id": seen["ids"]["first"], "nickname": "Home"}
    assert seen["updated"] == {"landmark": "Near the park"}
    assert seen["page2"]["count"] == 1
    assert seen["page2"]["pagination"] == {
        "total_records": 2,
        "total_pages": 2,
        "current_page": 2,
        "previous_page": 1,
        "next_page": None,
        "limit": 1,
    }
    # The deleted default billing address handed its flag to the remaining one.
    assert seen["afterDelete"] == [[seen["ids"]["second"], True, True]]


@pytest.mark.django_db(transaction=True)
def test_sdk_loyalty(sdk_installed, live_server):
    from decimal import Decimal

    from loyalty.models import Tier
    from loyalty.services import points_adjust, points_award

    Tier.objects.get_or_create(name="Silver", defaults={"min_spend": Decimal("0")})
    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    points_award(customer=user, order_number="ORD-1", amount=Decimal("2500"))
    points_adjust(customer=user, points=40, remarks="Welcome gift")

    seen = run_sdk("loyalty_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "sdk-pass-1234")

    assert seen["loyalty"]["points_balance"] == 290 and seen["loyalty"]["current_tier"] == "Silver"
    assert seen["activity"] == [["add", "bonus", 40], ["add", "order-placed", 250]]
    assert seen["pagination"]["total_records"] == 2


@pytest.mark.django_db(transaction=True)
def test_sdk_orders_on_seed_demo_data(sdk_installed, live_server, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")

    seen = run_sdk("orders_flow.mjs", f"{live_server.url}/api/v1/storefront", "demo@example.com", "demo-pass-123")

    assert seen["total"] == 6
    assert sorted(seen["all"]) == ["cancelled", "complete", "confirmed", "delivered", "pending", "shipped"]
    assert seen["filtered"] == ["delivered", "shipped"]
    assert seen["detail"] == {"status": "confirmed", "cancellable": True, "items": 2}
    assert seen["detailOffers"] == {
        "appliedPromotions": [],
        "appliedCoupons": [],
        "promotion": False,
        "coupon": False,
        "fulfillment": "delivery",
    }
    assert seen["shipments"] == [["shipped", "BlueDart", "BD100000003"]]
    assert seen["payments"] == [["payment", "success"], ["refund", "success"]]
    assert seen["refunds"] == [["success", "original-payment-mode"]]
    assert seen["paymentStatus"] == {"status": "failed", "retry": True}
    assert seen["retry"] == {"gateway": "test", "hasUrl": True}
    assert seen["cancelled"] == {"status": "cancelled", "allowed": False}
    assert seen["returnCreated"] == {"status": "created", "items": 1}
    assert seen["returns"] == [True]
    assert seen["returnDetail"] == {"status": "created", "reason": "Arrived damaged"}
    assert seen["returnEcho"] == {
        "sku": True,
        "hasId": True,
        "pickup": {
            "first_name": "Asha",
            "last_name": None,
            "phone": "9876543210",
            "address_line1": "12 MG Road",
            "address_line2": None,
            "pincode": "560001",
            "city": "Bengaluru",
            "state": "Karnataka",
            "country": "India",
        },
    }
    assert seen["returnById"] == {"sameReturn": True, "id": True}


@pytest.mark.django_db(transaction=True)
def test_sdk_reviews_on_seed_demo_data(sdk_installed, live_server, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")

    seen = run_sdk("reviews_flow.mjs", f"{live_server.url}/api/v1/storefront", "demo@example.com", "demo-pass-123")

    assert seen["reviews"] == [["approved", 5]]
    assert seen["ready"] == ["Ayurvedic Herbal Shampoo", "Stainless Steel Water Bottle"]
    assert seen["after"] == {"reviews": 2, "ready": 1}


@pytest.mark.django_db(transaction=True)
def test_sdk_retry_payment_through_razorpay(sdk_installed, live_server, settings):
    """Issue 19: the SDK's retryOrderPayment against the Razorpay adapter, Razorpay's API being
    the local fake; the app posts Checkout's signed answer to the shop, and the order is paid."""
    import importlib

    from orders.tests import fake_razorpay
    from orders.tests.factories import place

    importlib.import_module(settings.ROOT_URLCONF)  # built under the usual settings, not these
    fake, server = fake_razorpay.serve()
    settings.PAYMENT_GATEWAY = "razorpay"
    settings.RAZORPAY_KEY_ID, settings.RAZORPAY_KEY_SECRET = fake_razorpay.KEY_ID, fake_razorpay.KEY_SECRET
    settings.RAZORPAY_API_URL = fake.url
    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    order = place(user, outcome="failed")
    try:
        seen = run_sdk(
            "razorpay_flow.mjs",
            f"{live_server.url}/api/v1/storefront",
            "sdk@example.com",
            "sdk-pass-1234",
            order.number,
            f"{live_server.url}/payments/razorpay/verify",
            fake_razorpay.KEY_SECRET,
        )
    finally:
        server.shutdown()
        server.server_close()

    [created] = fake.requests
    due = order.to_be_paid - order.amount_paid
    assert (created.path, created.credentials) == ("/v1/orders", (fake_razorpay.KEY_ID, fake_razorpay.KEY_SECRET))
    assert created.body["amount"] == int(due * 100) and created.body["currency"] == "INR"
    assert seen["before"] == {"status": "failed", "retry": True}
    info = seen["paymentInfo"]
    assert (info["gateway"], info["keyId"], info["currency"], info["amount"]) == (
        "razorpay",
        fake_razorpay.KEY_ID,
        "INR",
        float(due),
    )
    assert info["razorpayOrderId"] == next(iter(fake.orders))
    assert info["paymentUrl"] == f"{live_server.url}/payments/razorpay/checkout/{info['requestNumber']}"
    assert seen["verified"] == {
        "status": 200,
        "content": {"request_number": info["requestNumber"], "status": "success"},
    }
    assert seen["after"] == {"status": "success", "retry": False, "paid": float(order.to_be_paid)}


@pytest.mark.django_db(transaction=True)
def test_sdk_sign_in_and_sign_up_with_a_code(sdk_installed, live_server, settings, text_outbox):
    settings.DEBUG = True  # x-debug-mode hands the script its codes
    settings.OTP_RESEND_SECONDS = 0  # the same phone gets an SMS code, then a WhatsApp one
    user = user_create(
        email="sdk@example.com",
        phone="9876500001",
        is_email_verified=True,
        is_phone_verified=True,
        password="sdk-pass-1234",
    )

    seen = run_sdk(
        "code_sign_in_flow.mjs",
        f"{live_server.url}/api/v1/storefront",
        "sdk@example.com",
        "9876500001",
        "sdk-code@example.com",
        "9876500002",
        "9876500003",
    )

    for key in ("loginEmail", "loginPhone", "loginWhatsapp"):
        assert seen[key]["otpAction"] == "login"
        assert seen[key]["answerUserId"] == seen[key]["userId"] == user.id and seen[key]["isLoggedIn"] is True
    assert seen["wrongCode"] == {
        "status": 400,
        "code": "invalid_otp",
        "userId": seen["wrongCode"]["userId"],
        "isLoggedIn": False,
    }
    # The stranger's address answered alike, and its code signed nobody in.
    assert seen["unknown"]["otpAction"] == "login"
    assert seen["unknown"]["status"] == 400 and seen["unknown"]["code"] == "invalid_otp"
    assert seen["unknown"]["isLoggedIn"] is False
    # The codes went where each call said: email, SMS, WhatsApp; none to the stranger.
    assert [t.channel for t in text_outbox if t.to == "+919876500001"] == ["sms", "whatsapp"]
    assert [t.channel for t in text_outbox if t.to in ("+919876500002", "+919876500003")] == ["sms", "whatsapp"]

    made = {
        key: User.objects.get(pk=seen[key]["answerUserId"])
        for key in ("registerEmail", "registerPhone", "registerWhatsapp")
    }
    assert (made["registerEmail"].email, made["registerEmail"].is_email_verified) == ("sdk-code@example.com", True)
    assert (made["registerPhone"].phone, made["registerPhone"].is_phone_verified) == ("9876500002", True)
    assert (made["registerWhatsapp"].phone, made["registerWhatsapp"].first_name) == ("9876500003", "Zoya")
    for key, account in made.items():
        assert seen[key]["otpAction"] == "register" and seen[key]["userId"] == account.id
        assert seen[key]["isLoggedIn"] is True and not account.has_usable_password()


def test_sdk_return_photos(sdk_installed, live_server, tmp_path):
    """Issue 26: uploadOrderReturnAttachments as the SDK sends it; the photos come back as
    attachments.images; a 4th is refused with its code."""
    from orders import services
    from orders.tests.factories import delivered

    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    order = delivered(user, quantities=(1,))
    line = services.ReturnRequestLine(order_item=order.items.get(), quantity=1, reason="Torn", resolution="refund")
    order_return = services.return_create(order=order, lines=[line])
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_with_gps(size=(640, 480)))

    seen = run_sdk(
        "return_photos_flow.mjs",
        f"{live_server.url}/api/v1/storefront",
        "sdk@example.com",
        "sdk-pass-1234",
        order.number,
        order_return.request_number,
        str(photo),
    )

    stored = [a.image.url for a in order_return.attachments.all()]
    assert seen["uploaded"] == 2 and len(stored) == 2
    # Absolute URLs (on SITE_URL), whose paths are the stored photos.
    assert all(url.startswith("http") for url in seen["readBack"])
    assert [urlsplit(url).path for url in seen["readBack"]] == stored
    assert seen["refused"] == {"code": "too_many_attachments", "status": 409}


@pytest.mark.django_db(transaction=True)
def test_sdk_wishlist(sdk_installed, live_server):
    """Issue 27: the wishlist as the SDK calls it (its user id from the session)."""
    from catalog.models import WishlistItem
    from common.ids import new_ulid
    from customers.tests.factories import make_product

    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    other = user_create(email="other-sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    tea = make_product(1, name="Darjeeling Tea", selling_price="399.00", listing_price="450.00")
    oil = make_product(2, name="Coconut Oil", stock_available=False)

    seen = run_sdk(
        "wishlist_flow.mjs",
        f"{live_server.url}/api/v1/storefront",
        "sdk@example.com",
        "sdk-pass-1234",
        tea.pk,
        oil.pk,
        new_ulid(),
        other.pk,
    )

    assert seen["empty"] == 0
    assert seen["afterTwice"] == [tea.pk]
    assert seen["listed"] == [
        {"id": oil.pk, "name": "Coconut Oil", "price": 799, "inStock": False},
        {"id": tea.pk, "name": "Darjeeling Tea", "price": 399, "inStock": True},
    ]
    assert seen["afterRemove"] == [oil.pk]
    assert seen["unknown"] == {"code": "not_found", "status": 404}
    assert seen["theirs"] == {"code": "forbidden", "status": 403}
    assert list(WishlistItem.objects.filter(customer=user).values_list("product_id", flat=True)) == [oil.pk]
