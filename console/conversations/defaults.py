"""What a new installation starts with: the answer rules and one inbox setting per team. Used by
the data migrations (with their historical models) and by tests after a flush."""

# (channel, expects an answer, team) for contacts (timeline kind "interaction") the customer makes.
ANSWER_RULES = [
    ("twitter", True, "webcare"),
    ("facebook", True, "webcare"),
    ("instagram", True, "webcare"),
    ("whatsapp", True, "webcare"),
    ("chat", True, "webcare"),
    ("chatbot", True, "webcare"),
    ("sms", True, "phone"),
    ("email", True, "back_office"),
    ("post", True, "back_office"),
    # Answered while they happen, or not a question: a call, a store visit, a web visit.
    ("phone", False, "phone"),
    ("store", False, "store"),
    ("web", False, "webcare"),
]
TEAMS = ("webcare", "phone", "store", "back_office")


def answer_rules_ensure(answer_rule_model) -> None:
    for channel, expects, team in ANSWER_RULES:
        answer_rule_model.objects.get_or_create(
            kind="interaction", channel=channel, defaults={"expects_answer": expects, "team": team}
        )


def inbox_teams_ensure(inbox_team_model) -> None:
    for team in TEAMS:
        inbox_team_model.objects.get_or_create(team=team)
