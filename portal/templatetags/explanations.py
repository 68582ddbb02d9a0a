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


@register.filter
def conditions_text(items):
    return render_conditions(items)


@register.filter
def adjustment_reasons(items):
    return adjustment_render(items)


@register.filter
def label_reasons(items):
    return label_render(items)


@register.filter
def decision_text(trace):
    return render_decision(trace)


@register.filter
def indicator_trace(trace):
    return render_indicator_trace(trace)
