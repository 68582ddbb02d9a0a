from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "投融资对接"

    def ready(self):
        from finance.receivers import connect

        connect()
