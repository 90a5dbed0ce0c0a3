from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kotacerdas.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        # The scoping rules of this app's own objects (regions for operators, notifications and
        # tokens for their owner) register themselves on import.
        from . import scoping  # noqa: F401
