from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top layer: what spans every account feature. The overview page, the website's URL map
    and the demo data read from all the apps below and are imported by none of them."""

    name = "portal"
    verbose_name = "My Account website"
