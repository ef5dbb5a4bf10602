"""The store takes a GSTIN and a PAN from business buyers: both checked automatically (format
and check digit), no attachment needed. Staff change either, or add others, in the admin."""

from django.db import migrations

SEEDED = (
    ("gst", "GSTIN", "Your 15-character GST identification number, printed on your tax invoices."),
    ("pan", "PAN", "The 10-character permanent account number of the business or its owner."),
)


def seed(apps, schema_editor):
    KycDocument = apps.get_model("customers", "KycDocument")
    for document_type, title, description in SEEDED:
        KycDocument.objects.get_or_create(
            document_type=document_type,
            defaults={
                "title": title,
                "description": description,
                "active": True,
                "is_mandatory": False,
                "is_attachment_required": False,
                "verification_type": "auto",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_business_documents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
