"""Stored explanations rendered in the reader's language on pages (STYLE.md point 15).

    {% load explanations %}
    {% for t in grant.explanation|conditions_text %}<li>{{ t }}</li>{% endfor %}
    {% for t in proposal.reasons|adjustment_reasons %} … {% for t in award.reasons|label_reasons %}
    {{ application.decision_trace|decision_text }}
    {% with t=application.indicator_trace|indicator_trace %} … {% endwith %}

Each filter renders from the stored data in the active language: no query.
"""

from django import template

from adjustment.explanations import render_reasons as adjustment_render
from conditions.explain import render_conditions
from registry.label_explanations import render_reasons as label_render
from selection.explanations import render_decision, render_indicator_trace

register = template.Library()
register.filter("conditions_text", render_conditions)
register.filter("adjustment_reasons", adjustment_render)
register.filter("label_reasons", label_render)
register.filter("decision_text", render_decision)
register.filter("indicator_trace", render_indicator_trace)
