"""The staff audit log (issue 29 item 8): every change staff make through the admin, recorded by
django-auditlog with who made it, the fields before and after, and the client's address.

Only the admin's requests are recorded: `StaffAuditMiddleware` turns logging on for them, with
the staff member as the actor and the address `common.clientip` trusts (auditlog's own
middleware would take the first `X-Forwarded-For` entry, which any client can write). Every other
request, and code outside a request (tasks, commands, migrations), runs with logging off
(`AccountsConfig.ready`), so a shopper's own changes and the bulk seeds cost nothing here.

The log is read-only in the admin (`AuditLogEntryAdmin`); erasing a shopper removes the entries
about their account (`accounts.erasure`), since they hold personal data.
"""

from auditlog.context import auditlog_disabled, disable_auditlog, set_extra_data
from django.urls import reverse

from common.clientip import client_ip


def audit_off_by_default() -> None:
    """Outside a request (this process's main context): nothing is recorded."""
    auditlog_disabled.set(True)


class StaffAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if not request.path.startswith(self.admin_prefix):
            with disable_auditlog():
                return self.get_response(request)
        token = auditlog_disabled.set(False)
        try:
            user = request.user
            actor = user if user.is_authenticated and user.is_staff else None
            context = {"actor": actor, "remote_addr": client_ip(request), "remote_port": None}
            with set_extra_data(context_data=context):
                return self.get_response(request)
        finally:
            auditlog_disabled.reset(token)


def audit_forget(model, pks) -> int:
    """Delete the audit entries about these rows of `model` (an erasure: they hold the shopper's
    data as it was); how many went."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    deleted, _ = LogEntry.objects.filter(content_type=content_type, object_pk__in=pks).delete()
    return deleted
