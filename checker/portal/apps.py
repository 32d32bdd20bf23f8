from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "checker.portal"
    label = "portal"
    verbose_name = "zicha 自查汇总平台"
    default_auto_field = "django.db.models.BigAutoField"
