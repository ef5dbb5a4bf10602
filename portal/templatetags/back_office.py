from django import template

from portal.back_office import work_queue as queue_for

register = template.Library()


@register.inclusion_tag("admin/work_queue.html", takes_context=True)
def work_queue(context):
    """The back office home's work queue (portal.back_office.work_queue) for the signed-in staff."""
    return {"queue": queue_for(context["request"].user)}
