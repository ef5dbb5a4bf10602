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
    settings.SITE_URL = live_server.url  # media URLs are answered on SITE_URL (common.api.absolute_url)
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
    from customers.models import BankAccount

    user = user_create(
        email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234", first_name="Meera", last_name="Nair"
    )

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
    # Unsetting the second address's default shipping flag handed it to the first (edited last).
    assert seen["unsetDefault"] == {"first": [True, True], "second": [False, False]}
    # The deleted default address handed its flags to the remaining one.
    assert seen["afterDelete"] == [[seen["ids"]["second"], True, True]]
    # Bank accounts: the SDK's create body, a one-field update, and verify-bank-account, which
    # asks staff to verify (the account is verified by staff only).
    assert seen["bankAccount"] == {"type": "outbound", "number": "XXXXXXXX9012", "bankName": "HDFC"}
    account = BankAccount.objects.get(customer=user)
    assert seen["verifyRequested"] == {"id": account.id, "verified": False}
    assert account.verification_requested_at is not None and not account.is_verified
    # null names (the SDK's User allows them) leave the names as they were.
    assert seen["nullNames"] == {"firstName": "Meera", "lastName": "Nair"}


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
    settings.SITE_URL = live_server.url  # media URLs are answered on SITE_URL
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
    # The retry finished from payment_links.web alone: the order is paid.
    assert seen["retryLinks"] == {"web": True, "expiry": True}
    assert seen["retryFinished"] == {"pageStatus": 200, "payStatus": 200, "status": "success", "retry": False}
    shape = seen["itemShape"]
    assert shape["required"] == [[], []] and shape["refundMode"] == "original-payment-mode"
    # seed_demo's products have pictures: absolute, on SITE_URL.
    assert shape["images"] and all(url.startswith(f"{live_server.url}/media/") for url in shape["images"])
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
    assert info["paymentUrl"].startswith(f"{live_server.url}/payments/razorpay/checkout/{info['requestNumber']}?t=")
    assert info["linksWeb"] == info["paymentUrl"]
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
def test_sdk_business_documents(sdk_installed, live_server, tmp_path):
    """Issue 27 item 5: the store's KYC list and the shopper's GSTIN and PAN, as the SDK's types
    send and read them (multipart create and update, JSON verify)."""
    from common.tests.imagefiles import png
    from customers.documents import kyc_documents_seed
    from customers.models import Document

    kyc_documents_seed()  # the migration's rows, gone after an earlier transactional test
    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    image = tmp_path / "pan.png"
    image.write_bytes(png((80, 50), "RGB"))

    seen = run_sdk(
        "documents_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "sdk-pass-1234", str(image)
    )

    assert seen["kyc"] == {"enabled": True, "types": [["gst", "auto"], ["pan", "auto"]]}
    assert seen["verified"]["document_number"] == "27ABCPE1234F1ZB" and seen["verified"]["pan"] == "ABCPE1234F"
    assert seen["pan"]["status"] == "approved" and seen["pan"]["isVerified"] is True
    assert seen["pan"]["verificationType"] == "automatic"
    # Absolute (on SITE_URL), its path the stored photo's.
    assert seen["pan"]["fileUrl"].startswith("http")
    assert urlsplit(seen["pan"]["fileUrl"]).path.startswith("/media/documents/")
    assert seen["mismatch"] == {"status": 400, "code": "gstin_pan_mismatch"}
    assert seen["updated"] == {"note": "Head office", "reason": "Added a note", "status": "approved"}
    assert seen["got"] == "27ABCPE1234F1ZB"
    assert seen["listed"] == ["ABCPE1234F", "27ABCPE1234F1ZB"]
    assert seen["afterDelete"] == ["27ABCPE1234F1ZB"]
    assert list(Document.objects.filter(customer=user).values_list("document_number", flat=True)) == ["27ABCPE1234F1ZB"]


def test_sdk_deactivate_and_come_back_with_a_code(sdk_installed, live_server, settings):
    settings.DEBUG = True  # for x-debug-mode on the sign-in code
    user = user_create(
        email="sdk@example.com",
        phone="9876500011",
        is_email_verified=True,
        is_phone_verified=True,
        password="sdk-pass-1234",
    )

    seen = run_sdk(
        "deactivate_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "9876500011", "sdk-pass-1234"
    )

    assert seen["ownStatus"] == {"verified_phone": ["9876500011"], "verified_email": ["sdk@example.com"]}
    assert seen["strangerStatus"] == {"verified_phone": [], "verified_email": []}
    assert seen["deactivate"] == {"status": 200, "error": None}
    assert seen["passwordRefused"] == {
        "status": 403,
        "code": "account_deactivated",
        "message": "This account is deactivated. Reactivate it with a code sent to your email or phone.",
    }
    assert seen["refreshRefused"] == {"status": 403, "code": "account_deactivated"}
    assert seen["reactivated"] == {"userId": user.id, "isLoggedIn": True}
    assert seen["afterReactivation"] == {"id": user.id}
    assert User.objects.get(pk=user.pk).is_active


@pytest.mark.django_db(transaction=True)
def test_sdk_buy_it_again(sdk_installed, live_server, settings):
    """Issue 27 item 2: listBuyItAgainItems in the SDK's shape, paginated."""
    from catalog.models import Product
    from orders.tests.factories import place

    user = user_create(email="sdk@example.com", is_email_verified=True, password="sdk-pass-1234")
    place(user, quantities=(1, 1, 1))  # products 1, 2 and 3, paid
    place(user, quantities=(1,))  # product 1 again, later: first
    place(user, quantities=(1, 1, 1, 1), outcome="failed")  # product 4 never paid for

    seen = run_sdk("buy_it_again_flow.mjs", f"{live_server.url}/api/v1/storefront", "sdk@example.com", "sdk-pass-1234")

    ids = {p.sku: p.pk for p in Product.objects.all()}
    first, second = seen["pages"]
    assert [i["product_id"] for i in first["items"] + second["items"]] == [
        ids["SKU-0001"],
        ids["SKU-0003"],
        ids["SKU-0002"],
    ]
    assert first["pagination"] == {
        "total_records": 3,
        "total_pages": 2,
        "current_page": 1,
        "previous_page": None,
        "next_page": 2,
        "limit": 2,
    }
    assert first["items"][0] == {
        "product_id": ids["SKU-0001"],
        "product_name": "Product 1",
        "product_image_url": None,
        "variant_id": None,
        "variant_name": None,
        "selling_price": 799.0,
        "listing_price": 999.0,
        "seller_id": None,
        "seller_detail": None,
    }
    assert seen["sellerFilter"] == {"items": 0, "total": 0}
    assert seen["badLimit"] == {"status": 400, "code": "validation_error"}


@pytest.mark.django_db(transaction=True)
def test_sdk_cancel_payment_request_through_razorpay(sdk_installed, live_server, settings):
    """Issue 27 item 6: cancelPaymentRequest closes the open Razorpay attempt, so the shopper can
    retry at once, and the retry gets a new Razorpay order (Razorpay's API being the local fake)."""
    import importlib

    from orders.models import AttemptStatus, Payment
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
            "cancel_payment_request_flow.mjs",
            f"{live_server.url}/api/v1/storefront",
            "sdk@example.com",
            "sdk-pass-1234",
            order.number,
        )
    finally:
        server.shutdown()
        server.server_close()

    assert seen["whileOpen"] == {"status": "failed", "retry": False}
    assert seen["cancel"]["status"] == 200 and seen["cancel"]["error"] is None
    assert seen["cancelAgain"] == {"status": 409, "code": "no_open_payment", "success": False}
    assert seen["unknownOrder"] == {"status": 404, "code": "not_found"}
    assert seen["after"] == {"status": "failed", "retry": True}
    first, second = seen["razorpayOrders"]
    assert first and second and first != second
    assert [r.path for r in fake.requests] == ["/v1/orders", "/v1/orders"]
    statuses = dict(Payment.objects.filter(order=order).values_list("request_number", "status"))
    assert [statuses[n] for n in seen["requestNumbers"]] == [AttemptStatus.FAILED, AttemptStatus.PENDING]


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
