from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "selection"

    def ready(self):
        from registry.services.labels import register_figure_source
        from selection.selectors import admitted_figures

        register_figure_source(admitted_figures)
