"""Which contacts expect an answer, and which team answers them: the admin's ``AnswerRule``
table, asked on every inbound event (the hot path of ``POST /api/v1/events``). The whole table
(a few dozen rows) is kept in the shared cache and forgotten when an admin saves or deletes a
rule (docs/inbox.md, "What opens one")."""

from dataclasses import dataclass

from console.cache import cached, cached_forget
from console.conversations.models import AnswerRule
from console.timeline.models import TimelineEntry

CACHE_KEY = "conversations:answer-rules"


@dataclass(frozen=True)
class Answered:
    """A rule that says a contact expects an answer, from the team named."""

    team: str


def _rows() -> list[tuple[str, str, bool, str]]:
    return list(AnswerRule.objects.values_list("kind", "channel", "expects_answer", "team"))


def answer_rules() -> dict[tuple[str, str], tuple[bool, str]]:
    """(kind, channel "" for any) -> (expects an answer, team), from the cache (one query when it
    has none)."""
    return {(kind, channel): (expects, team) for kind, channel, expects, team in cached(CACHE_KEY, _rows)}


def answer_rule_for(entry: TimelineEntry) -> Answered | None:
    """Whether this contact expects an answer, and from whom (a rule for its channel before one
    for every channel); None: no answer expected."""
    rules = answer_rules()
    rule = rules.get((entry.kind, entry.channel)) or rules.get((entry.kind, ""))
    if rule is None or not rule[0]:
        return None
    return Answered(team=rule[1])


def rules_changed(**kwargs) -> None:
    """An admin saved or deleted a rule: the next event reads the table again."""
    cached_forget(CACHE_KEY)
