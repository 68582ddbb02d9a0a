from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = "惠企政策 · 免申即享"

    def ready(self):
        from policies.receivers import connect

        connect()
