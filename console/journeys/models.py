"""Guided journeys (story S4, S5): a case that follows a template of steps, each completed by an
event, with a failure branch that tells the customer what happened and what they can choose."""

from django.core.exceptions import ValidationError
from django.db import models

from console.journeys import matching
from console.messaging.models import MessageTemplate

EVENT_TYPE_CHOICES = [(t, t) for t in matching.EVENT_TYPES]


def _message_template_problem(key: str) -> str | None:

    if key and not MessageTemplate.objects.filter(key=key).exists():
        return f"There is no message template '{key}'. Add it under Messaging › Message templates first."
    return None


class JourneyTemplate(models.Model):
    """The steps a kind of matter goes through, edited by admins."""

    class MessageChannel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="When agents should start this journey.")
    active = models.BooleanField(default=True, help_text="Only active templates can be started, and listen to events.")
    channel = models.CharField(
        max_length=10,
        choices=MessageChannel.choices,
        default=MessageChannel.SMS,
        help_text="How the customer gets the journey's messages.",
    )
    done_message_key = models.SlugField(
        "message when done",
        max_length=60,
        blank=True,
        help_text="Key of the message template the customer gets when the last step is done (blank: none).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        problem = _message_template_problem(self.done_message_key)
        if problem:
            raise ValidationError({"done_message_key": problem})


class _Matcher(models.Model):
    """An event type plus conditions on its data (see console.journeys.matching)."""

    conditions = models.JSONField(default=dict, blank=True, help_text=matching.HELP)

    class Meta:
        abstract = True

    def clean(self):
        errors = {}
        if self.event_type:
            problems = matching.matcher_problems(self.event_type, self.conditions)
            if problems:
                errors["conditions"] = problems
        elif self.conditions:
            errors["conditions"] = "Conditions need an event type."
        problem = _message_template_problem(self.message_template_key)
        if problem:
            errors["message_template_key"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def matcher_text(self) -> str:
        return matching.describe(self.event_type, self.conditions or {})


class JourneyStep(_Matcher):
    template = models.ForeignKey(JourneyTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(help_text="Steps are taken in this order.")
    title = models.CharField(max_length=120, help_text="In plain words, e.g. “Every SIM card delivered”.")
    event_type = models.CharField(
        "completed by",
        max_length=30,
        choices=EVENT_TYPE_CHOICES,
        blank=True,
        help_text="The event that completes this step; blank: an agent marks it done.",
    )
    message_template_key = models.SlugField(
        "message when reached",
        max_length=60,
        blank=True,
        help_text="Key of the message template the customer gets when the journey reaches this step (blank: none).",
    )

    class Meta:
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="journey_step_position_unique")]

    def __str__(self):
        return f"{self.position}. {self.title}"


class JourneyFailure(_Matcher):
    """What sends a journey off its green path, what the customer is told, and what they may choose."""

    template = models.ForeignKey(JourneyTemplate, on_delete=models.CASCADE, related_name="failures")
    step = models.ForeignKey(
        JourneyStep,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="failures",
        help_text="Only while the journey is at this step; blank: at any step.",
    )
    title = models.CharField(
        max_length=120, help_text="What happened, in plain words, e.g. “A SIM card was not delivered”."
    )
    event_type = models.CharField(max_length=30, choices=EVENT_TYPE_CHOICES)
    message_template_key = models.SlugField(
        max_length=60,
        help_text="Key of the message template telling the customer what happened; {choices} lists the choices.",
    )
    choices = models.TextField(
        help_text="One choice per line, in English and Dutch: “Deliver it again | Opnieuw bezorgen”.",
    )

    class Meta:
        ordering = ["template", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.step_id and self.template_id and self.step.template_id != self.template_id:
            errors.setdefault("step", []).append("That step belongs to another journey template.")
        problems = choice_problems(self.choices)
        if problems:
            errors.setdefault("choices", []).extend(problems)
        if errors:
            raise ValidationError(errors)

    def choice_list(self) -> list[tuple[str, str]]:
        """(English, Dutch) for each choice."""
        return [tuple(part.strip() for part in line.split("|", 1)) for line in _lines(self.choices)]

    def choice_labels(self) -> list[str]:
        return [english for english, _ in self.choice_list()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def choice_problems(text: str) -> list[str]:
    lines = _lines(text)
    if not lines:
        return ["Give at least one choice the customer can make."]
    problems = []
    for number, line in enumerate(lines, start=1):
        english, _, dutch = line.partition("|")
        if not english.strip() or not dutch.strip():
            problems.append(
                f"Choice {number} needs English and Dutch, split by “|”: “Deliver it again | Opnieuw bezorgen”."
            )
    return problems


class CaseJourney(models.Model):
    """A case following a journey template: where it stands and how it got there."""

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        WAITING = "waiting", "Waiting for the customer's choice"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE_STATES = (State.RUNNING, State.WAITING)

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="journey")
    template = models.ForeignKey(JourneyTemplate, on_delete=models.PROTECT, related_name="journeys")
    order_number = models.CharField(max_length=40, blank=True, help_text="The order this journey follows, if any.")
    current_step = models.ForeignKey(JourneyStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    failure = models.ForeignKey(
        JourneyFailure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The failure whose choices the customer was offered.",
    )
    # What happened, oldest first: {"at", "what", "step", "title", "entry_id", "choice"}.
    history = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self):
        return f"{self.template} ({self.get_state_display().lower()})"

    def has_seen(self, entry_id: int | None) -> bool:
        return entry_id is not None and any(item.get("entry_id") == entry_id for item in self.history)

    def steps_done(self) -> dict[int, str]:
        """Step id -> when it was done (ISO time)."""
        return {item["step"]: item["at"] for item in self.history if item.get("what") == "step_done"}


class HeardEvent(models.Model):
    """An applied event a journey has heard, so that the periodic catch-up
    (``services.journeys_catch_up``) replays only the events whose follow-up task was lost (the
    broker down when the event committed) and never one twice."""

    journey = models.ForeignKey(CaseJourney, on_delete=models.CASCADE, related_name="heard_events")
    inbound_event = models.ForeignKey("ingest.InboundEvent", on_delete=models.CASCADE, related_name="+")
    heard_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journey", "inbound_event"], name="journey_heard_event_unique"),
        ]

    def __str__(self):
        return f"{self.journey_id} heard {self.inbound_event_id}"
