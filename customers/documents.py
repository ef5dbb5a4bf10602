"""Business documents (a buyer's GSTIN and PAN): the one home of their rules.

- A GSTIN is 15 characters: a 2-digit state code (01-38, 97 other territory, 99 centre), the
  holder's 10-character PAN, an entity digit (1-9, then A-Z), the letter Z, and a check character
  computed with the GSTN's mod-36 algorithm (`gstin_check_character`).
- A PAN is AAAAA9999A, its fourth letter the holder's type (P person, C company, F firm, ...).
- A GSTIN embeds its holder's PAN: when the shopper has both, they must agree, whichever came
  first (`gstin_pan_mismatch`).
- A document type set to automatic verification (the seeded GSTIN and PAN) is approved once
  these rules pass; any other waits for staff, who approve or reject it in the admin.
- One document per type per shopper: a second GSTIN would leave the invoice rule
  (`buyer_gstin`) with two to choose from; a shopper edits the one they have instead.

The API, the website, the admin and the invoice (orders.invoice) all call these.
"""

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import customer_lock
from common.digits import ascii_digits
from common.errors import ErrorCode
from common.exceptions import DomainError, InvalidInput, NotFound
from common.images import image_normalise

from .models import (
    Document,
    DocumentActor,
    DocumentStatus,
    DocumentVerification,
    KycDocument,
    KycDocumentType,
    KycVerificationType,
)

NUMBER_FIELD = "document_number"
MAX_NUMBER_LENGTH = 64
GSTIN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
GSTIN_STATE_CODES = frozenset({f"{n:02d}" for n in range(1, 39)} | {"97", "99"})
GSTIN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$")
PAN_PATTERN = re.compile(r"^[A-Z]{5}[0-9]{4}[A-Z]$")
# The PAN's fourth letter: who holds it (Income Tax Department's list).
PAN_HOLDER_TYPES = {
    "A": "Association of persons",
    "B": "Body of individuals",
    "C": "Company",
    "F": "Firm or LLP",
    "G": "Government",
    "H": "Hindu undivided family",
    "J": "Artificial juridical person",
    "L": "Local authority",
    "P": "Individual",
    "T": "Trust",
}
# A rejected or expired document is not the shopper's word any more: it does not bind the other.
_LIVE_STATUSES = (DocumentStatus.SUBMITTED, DocumentStatus.APPROVED)


def _invalid(message: str, field: str = NUMBER_FIELD, *, code=None) -> InvalidInput:
    return InvalidInput(message, code=code, errors={field: [message]})


def _compact(value) -> str:
    """As typed, without spaces or hyphens, in capitals (GSTINs and PANs are printed grouped), its
    digits of any script read as ASCII (common.digits): one number is stored one way."""
    return re.sub(r"[\s-]+", "", ascii_digits(str(value or ""))).upper()


def gstin_check_character(first_fourteen: str) -> str:
    """The GSTIN's 15th character: the GSTN's mod-36 check over the first 14 (factors 1, 2, 1, ...;
    each product's quotient and remainder by 36 are added)."""
    total = 0
    for position, char in enumerate(first_fourteen):
        product = GSTIN_ALPHABET.index(char) * (2 if position % 2 else 1)
        total += product // 36 + product % 36
    return GSTIN_ALPHABET[(36 - total % 36) % 36]


def pan_check(value) -> str:
    """The PAN normalised (AAAAA9999A), or 400 naming `document_number`."""
    pan = _compact(value)
    if not PAN_PATTERN.match(pan):
        raise _invalid("Enter a PAN of 10 characters: 5 letters, 4 digits and a letter, such as ABCPE1234F.")
    if pan[3] not in PAN_HOLDER_TYPES:
        raise _invalid(f"{pan} is not a PAN: its fourth letter must be one of {', '.join(PAN_HOLDER_TYPES)}.")
    return pan


def gstin_check(value) -> str:
    """The GSTIN normalised, or 400 naming `document_number` and what is wrong with it."""
    gstin = _compact(value)
    if len(gstin) != 15 or not GSTIN_PATTERN.match(gstin):
        raise _invalid(
            "Enter a GSTIN of 15 characters: a 2-digit state code, your PAN, a digit or letter, Z and "
            "a check character, such as 27AAPFU0939F1ZV."
        )
    if gstin[:2] not in GSTIN_STATE_CODES:
        raise _invalid(f"{gstin[:2]} is not a GST state code (01 to 38, 97 or 99).")
    if gstin[5] not in PAN_HOLDER_TYPES:
        raise _invalid("The PAN inside this GSTIN is not valid: check characters 3 to 12.")
    if gstin_check_character(gstin[:14]) != gstin[14]:
        raise _invalid("This GSTIN's last character does not match the rest: check it for a typing mistake.")
    return gstin


def _other_check(value) -> str:
    number = ascii_digits(str(value or "")).strip()
    if not number:
        raise _invalid("Enter the document number.")
    if len(number) > MAX_NUMBER_LENGTH:
        raise _invalid(f"A document number has at most {MAX_NUMBER_LENGTH} characters.")
    if not number.isprintable():
        raise _invalid("The document number contains characters that are not allowed.")
    return number


def document_number_check(*, kyc_document: KycDocument, value) -> str:
    """The number in its normal form for that type of document, or 400 naming `document_number`."""
    if kyc_document.document_type == KycDocumentType.GST:
        return gstin_check(value)
    if kyc_document.document_type == KycDocumentType.PAN:
        return pan_check(value)
    return _other_check(value)


# The types a new store starts with (migration 0006 seeds the same, with its own copy of the list).
SEEDED_TYPES = (
    (KycDocumentType.GST, "GSTIN", "Your 15-character GST identification number, printed on your tax invoices."),
    (KycDocumentType.PAN, "PAN", "The 10-character permanent account number of the business or its owner."),
)


def kyc_documents_seed() -> None:
    """GSTIN and PAN, automatic verification, no attachment, where the store has none of that
    type (seed_demo, and tests whose database was emptied after the migration seeded it)."""
    for document_type, title, description in SEEDED_TYPES:
        KycDocument.objects.get_or_create(
            document_type=document_type, defaults={"title": title, "description": description}
        )


# --- reads -------------------------------------------------------------------------------------


def kyc_document_list() -> QuerySet[KycDocument]:
    """The document types the store takes now (`GET /store/kyc-document`, the website's card)."""
    return KycDocument.objects.filter(active=True).order_by("created_at", "pk")


def kyc_document_get(kyc_document_id, *, field: str = "kyc_document_id") -> KycDocument:
    """An active document type, or 400 naming the field that gave its id."""
    kyc = kyc_document_list().filter(pk=str(kyc_document_id or "").upper()).first()
    if kyc is None:
        raise _invalid("Choose a document type this store takes (GET /store/kyc-document).", field)
    return kyc


def document_list_for_customer(*, customer) -> QuerySet[Document]:
    return Document.objects.filter(customer=customer).select_related("kyc_document").order_by("created_at", "pk")


def document_get_for_customer(*, customer, document_id) -> Document:
    """The shopper's document, or 404 (another shopper's is simply not found)."""
    document = document_list_for_customer(customer=customer).filter(pk=str(document_id).upper()).first()
    if document is None:
        raise NotFound(_("Document not found."))
    return document


def document_status_text(document: Document) -> str:
    """What the shopper reads about a document's status (website, admin)."""
    if document.status == DocumentStatus.REJECTED and document.modified_reason:
        return gettext("Rejected: %(reason)s") % {"reason": document.modified_reason}
    if document.status == DocumentStatus.APPROVED and document.verification_type == DocumentVerification.AUTOMATIC:
        return gettext("Verified (checked automatically)")
    return str(DocumentStatus(document.status).label)


def buyer_gstin(*, customer_id, billing_address: dict | None) -> str:
    """The GSTIN a tax invoice prints for the buyer: their verified GSTIN document, else the tax id
    typed on the order's billing address, else ""."""
    verified = (
        Document.objects.filter(
            customer_id=customer_id,
            kyc_document__document_type=KycDocumentType.GST,
            status=DocumentStatus.APPROVED,
        )
        .values_list("document_number", flat=True)
        .first()
    )
    if verified:
        return verified
    return str((billing_address or {}).get("tax_identification_number") or "").strip().upper()


@dataclass(frozen=True)
class NumberCheck:
    """What `document_number_verify` found: the number in normal form and what it says."""

    document_type: str
    document_number: str
    details: dict


def document_number_verify(*, customer: User, kyc_document_id, document_number) -> NumberCheck:
    """Check a number against its type's rules and the shopper's other document, storing nothing
    (`POST /customers/{id}/documents/verify`)."""
    kyc = kyc_document_get(kyc_document_id, field="document_type_id")
    number = document_number_check(kyc_document=kyc, value=document_number)
    _pan_agreement_check(customer=customer, kyc_document=kyc, number=number, exclude_pk=None)
    details: dict = {}
    if kyc.document_type == KycDocumentType.GST:
        details = {"state_code": number[:2], "pan": number[2:12], "pan_holder_type": PAN_HOLDER_TYPES[number[5]]}
    elif kyc.document_type == KycDocumentType.PAN:
        details = {"pan_holder_type": PAN_HOLDER_TYPES[number[3]]}
    return NumberCheck(document_type=kyc.document_type, document_number=number, details=details)


# --- writes ------------------------------------------------------------------------------------


def _pan_agreement_check(*, customer, kyc_document: KycDocument, number: str, exclude_pk) -> None:
    """A GSTIN's characters 3-12 are its holder's PAN: refuse a GSTIN or a PAN that disagrees with
    the shopper's live document of the other kind."""
    if kyc_document.document_type not in (KycDocumentType.GST, KycDocumentType.PAN):
        return
    other_type = KycDocumentType.PAN if kyc_document.document_type == KycDocumentType.GST else KycDocumentType.GST
    other = (
        Document.objects.filter(customer=customer, kyc_document__document_type=other_type, status__in=_LIVE_STATUSES)
        .exclude(pk=exclude_pk)
        .values_list("document_number", flat=True)
        .first()
    )
    if other is None:
        return
    gstin, pan = (number, other) if kyc_document.document_type == KycDocumentType.GST else (other, number)
    if gstin[2:12] != pan:
        message = (
            f"The PAN inside GSTIN {gstin} is {gstin[2:12]}, but your PAN is {pan}. "
            "Correct one of them: a GSTIN always contains its holder's PAN."
        )
        raise _invalid(message, code=ErrorCode.GSTIN_PAN_MISMATCH)


def _verification(kyc_document: KycDocument) -> dict:
    """The status a new or changed document gets: approved at once where the rules suffice."""
    if kyc_document.verification_type == KycVerificationType.AUTO and kyc_document.document_type in (
        KycDocumentType.GST,
        KycDocumentType.PAN,
    ):
        return {
            "status": DocumentStatus.APPROVED,
            "verification_type": DocumentVerification.AUTOMATIC,
            "verified_at": timezone.now(),
        }
    return {"status": DocumentStatus.SUBMITTED, "verification_type": DocumentVerification.MANUAL, "verified_at": None}


def _file_store(upload) -> str:
    """Store a clean copy of an uploaded image (common.images: JPEG, PNG or WebP, 5 MB); its name."""
    try:
        image = image_normalise(upload, max_side=2000)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, code=exc.code, errors={"file": [exc.message]}) from None
    field = Document._meta.get_field("file")
    return field.storage.save(field.generate_filename(None, image.content.name), image.content)


def _file_delete_on_commit(name: str) -> None:
    if name:
        storage = Document._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


def _with_stored_file(upload, write):
    """Run `write(file_name)` with the upload stored first; the file is removed again if the write
    fails, so nothing is half written."""
    name = _file_store(upload) if upload else ""
    try:
        return write(name)
    except BaseException:
        if name:
            Document._meta.get_field("file").storage.delete(name)
        raise


def document_create(
    *,
    customer: User,
    kyc_document_id,
    document_number,
    note: str = "",
    upload=None,
    actor: str = DocumentActor.CUSTOMER,
) -> Document:
    """Add the shopper's document of a type; checked, and approved at once where the rules suffice."""
    kyc = kyc_document_get(kyc_document_id)
    number = document_number_check(kyc_document=kyc, value=document_number)
    if not upload and kyc.is_attachment_required:
        raise _invalid(f"Attach a photo or scan of your {kyc.title}.", "file")

    def refusals() -> None:
        if Document.objects.filter(customer=customer, kyc_document=kyc).exists():
            raise DomainError(
                gettext("You have added your %(title)s already. Edit it instead.") % {"title": kyc.title},
                code=ErrorCode.DOCUMENT_EXISTS,
            )
        _pan_agreement_check(customer=customer, kyc_document=kyc, number=number, exclude_pk=None)

    refusals()  # before the upload is decoded: a refused request costs no image work

    @transaction.atomic
    def write(file_name: str) -> Document:
        customer_lock(customer)
        refusals()  # again, under the lock: another request may have written in between
        try:
            with transaction.atomic():
                return Document.objects.create(
                    customer=customer,
                    kyc_document=kyc,
                    document_number=number,
                    note=note or "",
                    file=file_name,
                    created_by=actor,
                    modified_by=actor,
                    **_verification(kyc),
                )
        except IntegrityError:  # the same type added at once from elsewhere (no row lock there)
            raise DomainError(
                gettext("You have added your %(title)s already. Edit it instead.") % {"title": kyc.title},
                code=ErrorCode.DOCUMENT_EXISTS,
            ) from None

    return _with_stored_file(upload, write)


def document_update(
    *,
    document: Document,
    document_number=None,
    kyc_document_id=None,
    note: str | None = None,
    modified_reason: str = "",
    upload=None,
    actor: str = DocumentActor.CUSTOMER,
) -> Document:
    """Change the number, note or file; a new number or file (or a rejected document sent again)
    is checked and verified anew."""
    kyc = document.kyc_document
    if kyc_document_id not in (None, "") and str(kyc_document_id).upper() != kyc.pk:
        raise _invalid("A document's type cannot change. Add a document of the other type instead.", "kyc_document_id")
    number = (
        document_number_check(kyc_document=kyc, value=document_number)
        if document_number is not None
        else document.document_number
    )
    # Before the upload is decoded (and again under the lock below).
    _pan_agreement_check(customer=document.customer_id, kyc_document=kyc, number=number, exclude_pk=document.pk)

    @transaction.atomic
    def write(file_name: str) -> Document:
        customer_lock(document.customer)
        current = Document.objects.select_related("kyc_document").filter(pk=document.pk).first()
        if current is None:
            raise NotFound(_("Document not found."))
        _pan_agreement_check(customer=current.customer_id, kyc_document=kyc, number=number, exclude_pk=current.pk)
        checked_again = (
            number != current.document_number
            or bool(file_name)
            or current.status in (DocumentStatus.REJECTED, DocumentStatus.EXPIRED)
        )
        old_file = current.file.name if file_name else ""
        current.document_number = number
        if note is not None:
            current.note = note
        if file_name:
            current.file = file_name
        current.modified_by, current.modified_reason = actor, modified_reason or ""
        if checked_again:
            for name, value in _verification(kyc).items():
                setattr(current, name, value)
        current.save()
        _file_delete_on_commit(old_file)
        return current

    return _with_stored_file(upload, write)


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Remove the document and its file (the file once the deletion is committed)."""
    customer_lock(document.customer)
    current = Document.objects.filter(pk=document.pk).first()
    if current is None:
        raise NotFound(_("Document not found."))
    _file_delete_on_commit(current.file.name)
    current.delete()


def document_approve(*, document: Document) -> Document:
    """Staff have checked the document (admin action)."""
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.APPROVED,
        verification_type=DocumentVerification.MANUAL,
        verified_at=timezone.now(),
        modified_by=DocumentActor.ADMIN,
        modified_reason="",
        modified_at=timezone.now(),
    )
    document.refresh_from_db()
    return document


def document_reject(*, document: Document, reason: str) -> Document:
    """Staff refuse the document; the shopper reads the reason and may send it again corrected."""
    Document.objects.filter(pk=document.pk).update(
        status=DocumentStatus.REJECTED,
        verification_type=DocumentVerification.MANUAL,
        verified_at=None,
        modified_by=DocumentActor.ADMIN,
        modified_reason=reason,
        modified_at=timezone.now(),
    )
    document.refresh_from_db()
    return document
