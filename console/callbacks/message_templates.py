"""The texts the customer gets about a callback, shipped by this app's data migration and
edited by admins afterwards (Message templates). ``{window}`` is the window in the customer's
language ("dinsdag 24 november tussen 14:00 en 15:00"); ``{name}`` and ``{case_ref}`` are
filled in by messaging."""

TEMPLATES = {
    "callback_promised": {
        "description": "SMS when an agent promises a callback (the box “Text the customer this time slot (SMS)”).",
        "subject_nl": "",
        "body_nl": "Beste {name}, we bellen u terug op {window}. Past dat niet? Antwoord op dit bericht. "
        "Zaaknummer {case_ref}.",
        "subject_en": "",
        "body_en": "Dear {name}, we will call you back on {window}. Does that not suit you? Reply to this message. "
        "Case {case_ref}.",
    },
    "callback_new_time": {
        "description": "SMS when a promised callback would be missed and was moved to a new window.",
        "subject_nl": "",
        "body_nl": "Beste {name}, het lukt ons niet u op de beloofde tijd terug te bellen, excuses daarvoor. "
        "We bellen u nu op {window}. Past dat niet? Antwoord op dit bericht. Zaaknummer {case_ref}.",
        "subject_en": "",
        "body_en": "Dear {name}, we cannot call you back at the time we promised, our apologies. "
        "We will now call you on {window}. Does that not suit you? Reply to this message. Case {case_ref}.",
    },
}


def message_templates_ensure(template_model) -> None:
    """Create or reset the callback templates; takes the model so the migration can pass its
    historical one, and a flushed test database the real one."""
    for key, fields in TEMPLATES.items():
        template_model.objects.update_or_create(key=key, defaults=fields)
