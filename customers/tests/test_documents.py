"""Business documents (GSTIN, PAN): the rules, the API (the SDK's Document), the admin, erasure."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.erasure import _erase, account_export
from common.api import absolute_url
from common.exceptions import DomainError, InvalidInput
from common.testing import API, admin_action, assert_error, run_together
from common.tests.imagefiles import png
from customers import documents
from customers.models import Document, DocumentStatus, KycDocument

pytestmark = pytest.mark.django_db

PAN = "ABCPE1234F"
GSTIN = "27ABCPE1234F1ZB"  # contains PAN; check character computed by the GSTN's algorithm
OTHER_GSTIN = "27AAPFU0939F1ZV"  # a published valid GSTIN, of another PAN
DOCUMENTS = "/admin/customers/document/"


@pytest.fixture(autouse=True)
def _seeded():
    """The migration's GSTIN and PAN (gone from the database after a transactional test)."""
    documents.kyc_documents_seed()


def kyc(kind: str) -> KycDocument:
    return KycDocument.objects.get(document_type=kind)


def docs_url(user, suffix=""):
    return f"{API}/customers/{user.id}/documents{suffix}"


def image(name="gst.png"):
    return SimpleUploadedFile(name, png((40, 30), "RGB"), content_type="image/png")


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gstin", ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", GSTIN, " 27abcpe1234f1zb ", "27-ABCPE-1234F-1ZB"]
)
def test_valid_gstins_pass_and_come_back_normalised(gstin):
    assert documents.gstin_check(gstin) == gstin.strip().upper().replace("-", "")


def test_the_check_character_is_the_gstn_mod_36_one():
    assert documents.gstin_check_character("27AAPFU0939F1Z") == "V"
    assert documents.gstin_check_character("29AAGCB7383J1Z") == "4"
    # Every other last character is refused.
    for char in documents.GSTIN_ALPHABET.replace("V", ""):
        with pytest.raises(InvalidInput) as exc:
            documents.gstin_check("27AAPFU0939F1Z" + char)
        assert "last character" in exc.value.errors["document_number"][0]


@pytest.mark.parametrize(
    "gstin, says",
    [
        ("00ABCPE1234F1ZB", "state code"),
        ("39ABCPE1234F1ZB", "state code"),
        ("27ABCXE1234F1ZB", "PAN inside"),
        ("27ABCPE1234F1YB", "15 characters"),
        ("27ABCPE1234F0ZB", "15 characters"),
        ("27ABCPE1234F1Z", "15 characters"),
        ("27ABCPE1234F1ZB1", "15 characters"),
        ("", "15 characters"),
    ],
)
def test_bad_gstins_are_refused_naming_the_number(gstin, says):
    with pytest.raises(InvalidInput) as exc:
        documents.gstin_check(gstin)
    assert exc.value.code == "validation_error" and says in exc.value.errors["document_number"][0]


def test_state_codes_97_and_99_are_gst_codes():
    for code in ("97", "99", "38", "01"):
        first = f"{code}ABCPE1234F1Z"
        assert documents.gstin_check(first + documents.gstin_check_character(first))


@pytest.mark.parametrize("pan", ["ABCPE1234F", "aaacb1234z", "AAAFL9999K"])
def test_valid_pans(pan):
    assert documents.pan_check(pan) == pan.upper()


def test_a_pan_typed_with_other_digits_is_stored_once(shopper):
    assert documents.pan_check("ABCPE１２３４F") == PAN  # full-width
    documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number="ABCPE१२३४F")
    with pytest.raises(DomainError):
        documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    assert list(Document.objects.values_list("document_number", flat=True)) == [PAN]


@pytest.mark.parametrize("pan", ["ABCDE1234F", "ABCP1234F", "ABCPE12345", "1BCPE1234F", "ABCPE1234FF", ""])
def test_bad_pans(pan):
    with pytest.raises(InvalidInput) as exc:
        documents.pan_check(pan)
    assert "document_number" in exc.value.errors


# --- services ----------------------------------------------------------------------------------


def test_gstin_and_pan_are_approved_automatically(shopper):
    gst = documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=GSTIN.lower())
    assert (gst.document_number, gst.status, gst.verification_type) == (GSTIN, "approved", "automatic")
    assert gst.is_verified and gst.verified_at is not None


def test_a_manual_type_waits_for_staff(shopper):
    KycDocument.objects.filter(document_type="pan").update(verification_type="manual")
    pan = documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    assert (pan.status, pan.verification_type, pan.is_verified) == ("submitted", "manual", False)
    assert documents.document_status_text(pan) == "Waiting for approval"


@pytest.mark.parametrize("first", ["gst", "pan"])
def test_the_gstins_pan_must_be_the_shoppers_pan_whichever_came_first(shopper, first):
    numbers = {"gst": OTHER_GSTIN, "pan": PAN}
    second = "pan" if first == "gst" else "gst"
    documents.document_create(customer=shopper, kyc_document_id=kyc(first).id, document_number=numbers[first])
    with pytest.raises(InvalidInput) as exc:
        documents.document_create(customer=shopper, kyc_document_id=kyc(second).id, document_number=numbers[second])
    assert exc.value.code == "gstin_pan_mismatch" and "document_number" in exc.value.errors
    assert Document.objects.filter(customer=shopper).count() == 1


def test_matching_gstin_and_pan_live_together_and_a_rejected_one_does_not_bind(shopper):
    pan = documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=GSTIN)
    documents.document_reject(document=pan, reason="Blurred")
    gst = Document.objects.get(customer=shopper, kyc_document__document_type="gst")
    updated = documents.document_update(document=gst, document_number=OTHER_GSTIN)
    assert updated.document_number == OTHER_GSTIN
    with pytest.raises(InvalidInput) as exc:  # sending the PAN again must now agree with the GSTIN
        documents.document_update(document=pan, note="again")
    assert exc.value.code == "gstin_pan_mismatch"


def test_one_document_per_type(shopper):
    documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    with pytest.raises(DomainError) as exc:
        documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    assert exc.value.code == "document_exists"


@pytest.mark.django_db(transaction=True)
def test_the_same_document_twice_at_once_is_stored_once(shopper):
    pan_id = kyc("pan").id
    errors = run_together(
        *[
            lambda: documents.document_create(customer=shopper, kyc_document_id=pan_id, document_number=PAN)
            for _ in range(4)
        ]
    )
    assert Document.objects.filter(customer=shopper).count() == 1
    assert len(errors) == 3 and {e.code for e in errors} == {"document_exists"}


def test_update_rechecks_a_new_number_and_keeps_the_type(shopper):
    KycDocument.objects.filter(document_type="pan").update(verification_type="manual")
    pan = documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    documents.document_approve(document=pan)
    noted = documents.document_update(document=pan, note="For the firm")
    assert noted.status == "approved"  # a note alone changes nothing that was checked
    changed = documents.document_update(document=pan, document_number="ABCPE1234G", modified_reason="typo")
    assert (changed.status, changed.modified_reason) == ("submitted", "typo")
    with pytest.raises(InvalidInput) as exc:
        documents.document_update(document=pan, kyc_document_id=kyc("gst").id)
    assert "kyc_document_id" in exc.value.errors


def test_an_inactive_or_unknown_type_is_refused(shopper):
    KycDocument.objects.filter(document_type="pan").update(active=False)
    for type_id in (kyc("pan").id, "nope", ""):
        with pytest.raises(InvalidInput) as exc:
            documents.document_create(customer=shopper, kyc_document_id=type_id, document_number=PAN)
        assert "kyc_document_id" in exc.value.errors


def test_a_required_attachment_and_a_bad_file_store_nothing(shopper, settings):
    KycDocument.objects.filter(document_type="pan").update(is_attachment_required=True)
    with pytest.raises(InvalidInput) as exc:
        documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    assert "file" in exc.value.errors
    not_image = SimpleUploadedFile("pan.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(InvalidInput) as exc:
        documents.document_create(
            customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN, upload=not_image
        )
    assert exc.value.code == "invalid_image" and "file" in exc.value.errors
    assert not Document.objects.exists()
    assert (
        not list((settings.MEDIA_ROOT / "documents").glob("*"))
        if (settings.MEDIA_ROOT / "documents").exists()
        else True
    )


def test_a_refused_write_removes_the_file_it_stored(shopper, settings):
    documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=OTHER_GSTIN)
    with pytest.raises(InvalidInput):
        documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN, upload=image())
    folder = settings.MEDIA_ROOT / "documents"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_replacing_and_deleting_remove_the_old_files(shopper, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pan = documents.document_create(
            customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN, upload=image()
        )
    first = settings.MEDIA_ROOT / pan.file.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        pan = documents.document_update(document=pan, upload=image("again.png"))
    second = settings.MEDIA_ROOT / pan.file.name
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_delete(document=pan)
    assert not second.exists() and not Document.objects.exists()


# --- the invoice's GSTIN rule ------------------------------------------------------------------


def test_buyer_gstin_prefers_the_verified_document_then_the_address_tax_id(shopper):
    address = {"tax_identification_number": " 29aagcb7383j1z4 "}
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address=address) == "29AAGCB7383J1Z4"
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address={}) == ""
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address=None) == ""
    KycDocument.objects.filter(document_type="gst").update(verification_type="manual")
    gst = documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=GSTIN)
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address=address) == "29AAGCB7383J1Z4"
    documents.document_approve(document=gst)
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address=address) == GSTIN
    documents.document_reject(document=gst, reason="Not registered")
    assert documents.buyer_gstin(customer_id=shopper.id, billing_address=address) == "29AAGCB7383J1Z4"


# --- the API -----------------------------------------------------------------------------------

DOCUMENT_FIELDS = {
    "id",
    "document_number",
    "kyc_document_id",
    "document_type",
    "title",
    "note",
    "file_url",
    "status",
    "verification_type",
    "is_verified",
    "verified_at",
    "created_by",
    "created_at",
    "modified_by",
    "modified_at",
    "modified_reason",
    "expires_at",
}


def test_store_kyc_document_list_in_the_sdks_shape(api):
    body = api.get(f"{API}/store/kyc-document").json()
    assert body["success"] and body["content"]["is_kyc_enabled"] is True
    kinds = body["content"]["kyc_documents"]
    assert [k["document_type"] for k in kinds] == ["gst", "pan"]
    assert set(kinds[0]) == {
        "id",
        "document_type",
        "title",
        "description",
        "active",
        "is_mandatory",
        "is_attachment_required",
        "verification_type",
    }
    assert kinds[0]["verification_type"] == "auto" and kinds[0]["title"] == "GSTIN"
    KycDocument.objects.update(active=False)
    assert api.get(f"{API}/store/kyc-document").json()["content"] == {"kyc_documents": [], "is_kyc_enabled": False}


def test_crud_with_multipart_as_the_sdk_sends_it(client_for, shopper):
    client = client_for(shopper)
    created = client.post(
        docs_url(shopper),
        {"document_number": PAN, "kyc_document_id": kyc("pan").id, "note": "Owner", "file": image()},
        format="multipart",
    )
    document = created.json()["content"]["document"]
    assert created.status_code == 200 and set(document) == DOCUMENT_FIELDS
    assert document["status"] == "approved" and document["is_verified"] and document["title"] == "PAN"
    stored = Document.objects.get().file
    assert document["file_url"] == absolute_url(stored.url) and document["file_url"].startswith("http")
    assert document["file_url"].endswith(stored.name)
    assert document["created_by"] == "customer" and document["note"] == "Owner"
    got = client.get(docs_url(shopper, f"/{document['id']}")).json()["content"]["document"]
    assert got == document
    updated = client.put(
        docs_url(shopper, f"/{document['id']}"),
        {"document_number": "abcpe1234g", "kyc_document_id": kyc("pan").id, "modified_reason": "typo"},
        format="multipart",
    ).json()["content"]["document"]
    assert updated["document_number"] == "ABCPE1234G" and updated["modified_reason"] == "typo"
    listed = client.get(docs_url(shopper)).json()["content"]["documents"]
    assert [d["id"] for d in listed] == [document["id"]]
    deleted = client.delete(docs_url(shopper, f"/{document['id']}"))
    assert deleted.status_code == 200 and deleted.json()["success"]
    assert client.get(docs_url(shopper)).json()["content"]["documents"] == []
    assert_error(client.get(docs_url(shopper, f"/{document['id']}")), 404, "not_found")


def test_bad_input_is_a_400_naming_the_field(client_for, shopper):
    client = client_for(shopper)
    body = assert_error(
        client.post(docs_url(shopper), {"document_number": "27ABCPE1234F1ZC", "kyc_document_id": kyc("gst").id}),
        400,
        "validation_error",
    )
    assert "document_number" in body["errors"]
    body = assert_error(client.post(docs_url(shopper), {"document_number": PAN}), 400, "validation_error")
    assert "kyc_document_id" in body["errors"]
    body = assert_error(
        client.post(docs_url(shopper), {"document_number": PAN, "kyc_document_id": "01" + "X" * 24}),
        400,
        "validation_error",
    )
    assert "kyc_document_id" in body["errors"]
    huge = client.post(docs_url(shopper), {"document_number": "9" * 10_000, "kyc_document_id": kyc("pan").id})
    assert "document_number" in assert_error(huge, 400, "validation_error")["errors"]
    nul = client.post(
        docs_url(shopper), {"document_number": "ABCPE\x001234F", "kyc_document_id": kyc("pan").id}, format="multipart"
    )
    assert_error(nul, 400, "bad_request")
    not_a_file = client.post(
        docs_url(shopper), {"document_number": PAN, "kyc_document_id": kyc("pan").id, "file": "text"}, format="json"
    )
    assert "file" in assert_error(not_a_file, 400, "validation_error")["errors"]
    assert not Document.objects.exists()


def test_mismatch_and_duplicate_codes_over_the_api(client_for, shopper):
    client = client_for(shopper)
    client.post(docs_url(shopper), {"document_number": PAN, "kyc_document_id": kyc("pan").id}, format="json")
    body = assert_error(
        client.post(
            docs_url(shopper), {"document_number": OTHER_GSTIN, "kyc_document_id": kyc("gst").id}, format="json"
        ),
        400,
        "gstin_pan_mismatch",
    )
    assert "document_number" in body["errors"]
    assert_error(
        client.post(docs_url(shopper), {"document_number": PAN, "kyc_document_id": kyc("pan").id}, format="json"),
        409,
        "document_exists",
    )


def test_verify_checks_without_storing(client_for, shopper):
    client = client_for(shopper)
    answer = client.post(
        docs_url(shopper, "/verify"),
        {"document_number": GSTIN.lower(), "document_type_id": kyc("gst").id},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["content"]["document"] == {
        "document_type": "gst",
        "document_number": GSTIN,
        "is_valid": True,
        "state_code": "27",
        "pan": PAN,
        "pan_holder_type": "Individual",
    }
    bad = client.post(
        docs_url(shopper, "/verify"),
        {"document_number": "27ABCPE1234F1ZA", "document_type_id": kyc("gst").id},
        format="json",
    )
    assert "document_number" in assert_error(bad, 400, "validation_error")["errors"]
    unknown = client.post(
        docs_url(shopper, "/verify"), {"document_number": PAN, "document_type_id": "x"}, format="json"
    )
    assert "document_type_id" in assert_error(unknown, 400, "validation_error")["errors"]
    assert not Document.objects.exists()


def test_ownership(client_for, api, shopper, other_shopper):
    mine = documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    intruder = client_for(other_shopper)
    assert_error(intruder.get(docs_url(shopper)), 403, "forbidden")
    assert_error(intruder.get(docs_url(other_shopper, f"/{mine.id}")), 404, "not_found")
    assert_error(intruder.delete(docs_url(other_shopper, f"/{mine.id}")), 404, "not_found")
    assert_error(api.get(docs_url(shopper)), 401, "unauthorized")
    assert_error(client_for(shopper).get(docs_url(shopper, "/not-an-id")), 404, "not_found")
    assert Document.objects.filter(pk=mine.pk).exists()


def test_the_list_costs_the_same_with_more_documents(client_for, shopper, django_assert_num_queries):
    client = client_for(shopper)
    client.get(docs_url(shopper))  # the session is cached from here on
    documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    with CaptureQueriesContext(connection) as one:
        client.get(docs_url(shopper))
    documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=GSTIN)
    KycDocument.objects.create(document_type="other", title="Udyam")
    documents.document_create(customer=shopper, kyc_document_id=kyc("other").id, document_number="UDYAM-MH-01-1")
    with django_assert_num_queries(len(one)):
        listed = client.get(docs_url(shopper)).json()["content"]["documents"]
    assert len(listed) == 3 and len(one) <= 2


# --- the admin, erasure and export -------------------------------------------------------------


def test_staff_approve_and_reject_with_a_reason(staff_client, shopper):
    KycDocument.objects.filter(document_type="pan").update(verification_type="manual")
    pan = documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    admin_action(staff_client("Support"), DOCUMENTS, "approve", [pan])
    pan.refresh_from_db()
    assert pan.status == "submitted"  # Support may look, not decide
    managers = staff_client("Managers")
    admin_action(managers, DOCUMENTS, "approve", [pan])
    pan.refresh_from_db()
    assert (pan.status, pan.verification_type, pan.modified_by) == ("approved", "manual", "admin")
    admin_action(managers, DOCUMENTS, "reject", [pan], reason="The name does not match.")
    pan.refresh_from_db()
    assert pan.status == DocumentStatus.REJECTED and pan.verified_at is None
    assert documents.document_status_text(pan) == "Rejected: The name does not match."
    page = managers.get(f"{DOCUMENTS}{pan.pk}/change/")
    assert page.status_code == 200 and PAN in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_erasure_removes_documents_and_files_and_export_includes_them(shopper, settings):
    pan = documents.document_create(
        customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN, upload=image()
    )
    stored = settings.MEDIA_ROOT / pan.file.name
    exported = account_export(user=shopper)["documents"]
    assert [(d["document_number"], d["status"]) for d in exported] == [(PAN, "approved")]
    assert exported[0]["file_url"].endswith(pan.file.name)
    assert stored.exists()
    _erase(shopper)
    assert not Document.objects.filter(customer=shopper).exists()
    assert not stored.exists()


# --- the website's Business details page -------------------------------------------------------

BUSINESS = "/account/business/"


def test_profile_links_to_business_details(signed_in):
    page = signed_in.get("/account/profile/").content.decode()
    assert "Business details" in page and BUSINESS in page


def test_add_change_and_remove_on_the_business_page(signed_in, shopper):
    page = signed_in.get(BUSINESS)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "Add GSTIN" in html and "Add PAN" in html
    pan_id = kyc("pan").pk
    prefix = pan_id.lower()
    saved = signed_in.post(
        BUSINESS,
        {"kyc_document_id": pan_id, f"{prefix}-document_number": "abcpe 1234 f", f"{prefix}-file": image()},
        follow=True,
    ).content.decode()
    assert "Your PAN is saved." in saved and PAN in saved and "Verified (checked automatically)" in saved
    document = Document.objects.get(customer=shopper)
    assert document.file.name.startswith("documents/")
    gst_prefix = kyc("gst").pk.lower()
    refused = signed_in.post(
        BUSINESS, {"kyc_document_id": kyc("gst").pk, f"{gst_prefix}-document_number": OTHER_GSTIN}
    ).content.decode()
    assert "The PAN inside GSTIN" in refused and 'class="field invalid"' in refused
    bad = signed_in.post(
        BUSINESS, {"kyc_document_id": kyc("gst").pk, f"{gst_prefix}-document_number": "27ABCPE1234F1ZA"}
    ).content.decode()
    assert "last character does not match" in bad
    changed = signed_in.post(
        BUSINESS, {"kyc_document_id": pan_id, f"{prefix}-document_number": "ABCPE1234G"}, follow=True
    ).content.decode()
    assert "ABCPE1234G" in changed and Document.objects.count() == 1
    removed = signed_in.post(f"/account/business/{document.pk}/remove/", follow=True).content.decode()
    assert "Your PAN is removed." in removed and not Document.objects.exists()


def test_a_forged_clear_of_the_file_is_no_file_not_a_500(signed_in, shopper):
    """A review found `<prefix>-file-clear=on` with no file reached the image check as False (500)."""
    prefix = kyc("pan").pk.lower()
    body = {"kyc_document_id": kyc("pan").pk, f"{prefix}-document_number": PAN, f"{prefix}-file-clear": "on"}
    page = signed_in.post(BUSINESS, body, follow=True)
    assert page.status_code == 200 and "Your PAN is saved." in page.content.decode()
    document = Document.objects.get(customer=shopper)
    assert not document.file


def test_another_shoppers_document_cannot_be_removed(signed_in, other_shopper):
    theirs = documents.document_create(customer=other_shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    assert signed_in.post(f"/account/business/{theirs.pk}/remove/").status_code == 404
    assert signed_in.post(BUSINESS, {"kyc_document_id": "nope"}).status_code == 404
    assert Document.objects.filter(pk=theirs.pk).exists()


def test_the_business_page_costs_the_same_with_documents(signed_in, shopper, django_assert_num_queries):
    signed_in.get(BUSINESS)
    with CaptureQueriesContext(connection) as empty:
        signed_in.get(BUSINESS)
    documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    documents.document_create(customer=shopper, kyc_document_id=kyc("gst").id, document_number=GSTIN)
    with django_assert_num_queries(len(empty)):
        assert signed_in.get(BUSINESS).status_code == 200


def test_an_oversized_file_is_refused_and_nothing_is_stored(client_for, shopper, settings):
    huge = SimpleUploadedFile("pan.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), content_type="image/png")
    response = client_for(shopper).post(
        docs_url(shopper), {"document_number": PAN, "kyc_document_id": kyc("pan").id, "file": huge}, format="multipart"
    )
    body = response.json()
    assert response.status_code in (400, 413) and body["success"] is False
    if response.status_code == 400:
        assert body["code"] == "invalid_image" and "file" in body["errors"]
    assert not Document.objects.exists()
    folder = settings.MEDIA_ROOT / "documents"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_the_schema_documents_the_operations_and_their_codes(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operations = {
        operation["operationId"]: operation
        for methods in schema["paths"].values()
        for operation in methods.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    for operation_id in (
        "list-kyc-document",
        "list-documents",
        "create-document",
        "verify-document",
        "get-document",
        "update-document",
        "delete-document",
    ):
        assert operation_id in operations
    created = operations["create-document"]
    assert "multipart/form-data" in created["requestBody"]["content"]
    bad = created["responses"]["400"]["content"]["application/json"]["examples"]
    assert {"validation_error", "gstin_pan_mismatch", "invalid_image"} <= {e["value"]["code"] for e in bad.values()}
    conflict = created["responses"]["409"]["content"]["application/json"]["examples"]
    assert [e["value"]["code"] for e in conflict.values()] == ["document_exists"]
    assert "/api/v1/storefront/customers/{customer_id}/documents/{document_id}" in schema["paths"]


def test_staff_manage_the_store_kyc_list_in_the_admin(staff_client, api):
    managers = staff_client("Managers")
    added = managers.post(
        "/admin/customers/kycdocument/add/",
        {
            "document_type": "other",
            "title": "Udyam registration",
            "description": "",
            "active": "on",
            "verification_type": "manual",
        },
        follow=True,
    )
    assert added.status_code == 200 and KycDocument.objects.filter(title="Udyam registration").exists()
    second_gst = managers.post(
        "/admin/customers/kycdocument/add/",
        {"document_type": "gst", "title": "GSTIN again", "active": "on", "verification_type": "auto"},
    )
    assert second_gst.status_code == 200 and not KycDocument.objects.filter(title="GSTIN again").exists()
    kinds = api.get(f"{API}/store/kyc-document").json()["content"]["kyc_documents"]
    assert [(k["document_type"], k["verification_type"]) for k in kinds][-1] == ("other", "manual")


def test_document_writes_share_the_upload_budget_reads_do_not(client_for, shopper, signed_in, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "uploads": "2/min"})
    client = client_for(shopper)
    body = {"document_number": PAN, "kyc_document_id": kyc("pan").id}
    first = client.post(docs_url(shopper), body, format="json").json()["content"]["document"]
    assert client.put(docs_url(shopper, f"/{first['id']}"), {"note": "x"}, format="json").status_code == 200
    assert_error(client.put(docs_url(shopper, f"/{first['id']}"), {"note": "y"}, format="json"), 429, "throttled")
    assert all(client.get(docs_url(shopper)).status_code == 200 for _ in range(3))
    page = signed_in.post(BUSINESS, {"kyc_document_id": kyc("gst").pk})
    assert page.status_code == 429 and page["Retry-After"]
    assert Document.objects.get().note == "x"


def test_a_refused_create_decodes_nothing(client_for, shopper, monkeypatch):
    decoded = []
    monkeypatch.setattr(documents, "image_normalise", lambda *a, **k: decoded.append(1))
    documents.document_create(customer=shopper, kyc_document_id=kyc("pan").id, document_number=PAN)
    client = client_for(shopper)
    again = client.post(
        docs_url(shopper),
        {"document_number": PAN, "kyc_document_id": kyc("pan").id, "file": image()},
        format="multipart",
    )
    assert_error(again, 409, "document_exists")
    mismatch = client.post(
        docs_url(shopper),
        {"document_number": OTHER_GSTIN, "kyc_document_id": kyc("gst").id, "file": image()},
        format="multipart",
    )
    assert_error(mismatch, 400, "gstin_pan_mismatch")
    assert decoded == []
