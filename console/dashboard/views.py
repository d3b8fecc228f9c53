from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.accounts.roles import Capability, require
from console.dashboard import charts
from console.dashboard.selectors import FLAG_TREND_LEVELS, dashboard_overview
from console.flags.models import Flag
from console.timeline.models import Channel

TEMPLATE = "dashboard/dashboard.html"


def _dashboard_context(request) -> dict:
    context = dashboard_overview(user=request.user)
    channel_names = dict(Channel.choices)
    level_names = {level: Flag.Level(level).label for level in FLAG_TREND_LEVELS}
    interactions, flag_trend = context["interactions"], context["flag_trend"]
    context.update(
        credit_lists=[("hold", "On hold", context["hold"], "bad"), ("watch", "On watch", context["watch"], "warn")],
        interactions_legend=[(name, channel_names[name]) for name in interactions.series],
        interactions_chart=charts.stacked_days(interactions, names=channel_names),
        flag_legend=[(level, level_names[level]) for level in flag_trend.series],
        flag_chart=charts.small_multiples(flag_trend, levels=list(FLAG_TREND_LEVELS), names=level_names),
        case_chart=charts.horizontal_bars(context["case_ages"]),
    )
    return context


@require_GET
def dashboard(request):
    """The manager's view of the customers that need attention, kept live (docs/dashboard.md)."""
    require(request.user, Capability.MANAGE_FLAGS)
    return render(request, TEMPLATE, _dashboard_context(request))


@require_GET
def sections(request):
    """Every section at once, each swapped in by id: what the page fetches when told it changed."""
    require(request.user, Capability.MANAGE_FLAGS)
    return render(request, f"{TEMPLATE}#sections", {**_dashboard_context(request), "oob": True})
