"""The two journeys the product ships with (stories S1, S4, S5), and their messages in Dutch and English."""

from django.db import migrations

SIM_CHOICES = (
    "Deliver the SIM card again | De SIM-kaart opnieuw bezorgen\n"
    "Pick it up in a store | Ophalen in een winkel\n"
    "Cancel that number's porting | Het overzetten van dat nummer annuleren"
)
ID_CHOICES = (
    "Update the ID on file and deliver again | ID-gegevens bijwerken en opnieuw bezorgen\n"
    "Pick it up in a store with the new ID | Ophalen in een winkel met het nieuwe ID\n"
    "Cancel the second number | Het tweede nummer annuleren"
)
REPLACEMENT_CHOICES = (
    "Deliver the replacement again | De vervanging opnieuw bezorgen\n"
    "Pick it up in a store | Ophalen in een winkel\n"
    "Refund instead | Geld terug in plaats van een vervanging"
)

JOURNEYS = [
    {
        "name": "Number porting with several SIM cards",
        "description": "A customer moves one or more phone numbers to us and gets a SIM card per number by "
        "courier (story S5). Start it with the order of the SIM cards.",
        "done_message_key": "journey_porting_done",
        "steps": [
            (
                "Porting requested; SIM cards being sent",
                "order.updated",
                {"line_status": ["shipped", "delivered"]},
                "journey_porting_requested",
            ),
            ("ID checked at the door", "identity.checked", {"result": "valid"}, "journey_porting_on_the_way"),
            ("Every SIM card delivered", "order.updated", {"line_status": "delivered", "every_line": True}, ""),
            ("Numbers ported", "", {}, "journey_porting_delivered"),
        ],
        "failures": [
            (
                "A SIM card could not be delivered",
                "order.updated",
                {"line_status": "failed"},
                "journey_porting_sim_failed",
                SIM_CHOICES,
            ),
            (
                "The ID at the door did not match or had expired",
                "identity.checked",
                {"result": ["mismatch", "expired"]},
                "journey_porting_id_failed",
                ID_CHOICES,
            ),
        ],
    },
    {
        "name": "Wrong item delivered",
        "description": "The customer received something other than they ordered (story S1): the wrong item "
        "goes back and the right one is sent. Start it with the order of the wrong delivery.",
        "done_message_key": "journey_wrong_item_done",
        "steps": [
            ("Return opened", "return.opened", {}, "journey_wrong_item_sorry"),
            (
                "Item received back",
                "return.updated",
                {"status": ["received", "refunded"]},
                "journey_wrong_item_send_back",
            ),
            (
                "Replacement shipped",
                "order.updated",
                {"line_status": ["shipped", "delivered"]},
                "journey_wrong_item_received",
            ),
            ("Replacement delivered", "order.updated", {"line_status": "delivered"}, "journey_wrong_item_shipped"),
        ],
        "failures": [
            (
                "The replacement could not be delivered",
                "order.updated",
                {"line_status": "failed"},
                "journey_wrong_item_failed",
                REPLACEMENT_CHOICES,
            ),
        ],
    },
]


def _sms(description, nl, en):
    return {"description": description, "subject_nl": "", "body_nl": nl, "subject_en": "", "body_en": en}


MESSAGES = {
    "journey_porting_requested": _sms(
        "Journey “Number porting”: the porting was requested.",
        "Beste {name}, we zetten je nummers over (order {order_number}). De SIM-kaarten komen per koerier; "
        "we sturen je een bericht zodra ze onderweg zijn. Dossier {case_ref}.",
        "Dear {name}, we are moving your numbers to us (order {order_number}). The SIM cards come by "
        "courier; we will text you when they are on their way. Case {case_ref}.",
    ),
    "journey_porting_on_the_way": _sms(
        "Journey “Number porting”: the SIM cards are on their way; the courier checks the ID.",
        "Beste {name}, je SIM-kaarten (order {order_number}) zijn onderweg. De koerier controleert je "
        "identiteitsbewijs aan de deur: houd het ID bij de hand dat bij ons bekend is. Dossier {case_ref}.",
        "Dear {name}, your SIM cards (order {order_number}) are on their way. The courier checks your ID "
        "at the door: please have the ID we have on file at hand. Case {case_ref}.",
    ),
    "journey_porting_delivered": _sms(
        "Journey “Number porting”: every SIM card was delivered; the numbers are being moved.",
        "Beste {name}, alle SIM-kaarten zijn bezorgd. We zetten je nummers nu over; dat duurt hooguit één "
        "werkdag. Je hoort van ons als het klaar is. Dossier {case_ref}.",
        "Dear {name}, every SIM card has been delivered. We are moving your numbers now; this takes one "
        "working day at most. We will let you know when it is done. Case {case_ref}.",
    ),
    "journey_porting_done": _sms(
        "Journey “Number porting”: the numbers work on the new SIM cards.",
        "Beste {name}, je nummers zijn overgezet en werken nu op de nieuwe SIM-kaarten. Welkom! Dossier {case_ref}.",
        "Dear {name}, your numbers have been moved and now work on the new SIM cards. Welcome! Case {case_ref}.",
    ),
    "journey_porting_sim_failed": _sms(
        "Journey “Number porting”: a SIM card could not be delivered; the customer chooses what next.",
        "Beste {name}, een SIM-kaart van order {order_number} kon niet worden bezorgd. Wat wil je dat we "
        "doen?\n{choices}\nAntwoord met het nummer van je keuze of bel ons. Dossier {case_ref}.",
        "Dear {name}, a SIM card of order {order_number} could not be delivered. What would you like us "
        "to do?\n{choices}\nReply with the number of your choice or call us. Case {case_ref}.",
    ),
    "journey_porting_id_failed": _sms(
        "Journey “Number porting”: the courier did not hand over a SIM card because the ID did not "
        "match or had expired; the customer chooses what next.",
        "Beste {name}, de koerier kon een SIM-kaart van order {order_number} niet afgeven: het "
        "identiteitsbewijs aan de deur kwam niet overeen met wat bij ons bekend is, of was verlopen. Wat "
        "wil je dat we doen?\n{choices}\nAntwoord met het nummer van je keuze of bel ons. Dossier {case_ref}.",
        "Dear {name}, the courier could not hand over a SIM card of order {order_number}: the ID shown at "
        "the door did not match the one we have on file, or had expired. What would you like us to do?"
        "\n{choices}\nReply with the number of your choice or call us. Case {case_ref}.",
    ),
    "journey_wrong_item_sorry": _sms(
        "Journey “Wrong item delivered”: the customer reported the wrong item.",
        "Beste {name}, sorry dat je het verkeerde artikel kreeg bij order {order_number}. We openen een "
        "retour voor je; je krijgt een retourlabel. Dossier {case_ref}.",
        "Dear {name}, we are sorry you received the wrong item with order {order_number}. We are opening "
        "a return for you; you will get a return label. Case {case_ref}.",
    ),
    "journey_wrong_item_send_back": _sms(
        "Journey “Wrong item delivered”: the return is open; the customer sends the item back.",
        "Beste {name}, de retour voor order {order_number} staat klaar. Stuur het verkeerde artikel terug "
        "met het retourlabel; zodra het binnen is, sturen we het juiste. Dossier {case_ref}.",
        "Dear {name}, the return for order {order_number} is open. Please send the wrong item back with the "
        "return label; as soon as it is back we send the right one. Case {case_ref}.",
    ),
    "journey_wrong_item_received": _sms(
        "Journey “Wrong item delivered”: the wrong item is back; the replacement is being sent.",
        "Beste {name}, we hebben het verkeerde artikel terug. Het juiste artikel (order {order_number}) "
        "gaat zo snel mogelijk naar je toe. Dossier {case_ref}.",
        "Dear {name}, we have the wrong item back. The right one (order {order_number}) is being sent to "
        "you as soon as possible. Case {case_ref}.",
    ),
    "journey_wrong_item_shipped": _sms(
        "Journey “Wrong item delivered”: the replacement is on its way.",
        "Beste {name}, het juiste artikel van order {order_number} is onderweg naar je. Dossier {case_ref}.",
        "Dear {name}, the right item of order {order_number} is on its way to you. Case {case_ref}.",
    ),
    "journey_wrong_item_done": _sms(
        "Journey “Wrong item delivered”: the replacement was delivered.",
        "Beste {name}, het juiste artikel van order {order_number} is bezorgd. Nogmaals sorry voor het "
        "ongemak. Dossier {case_ref}.",
        "Dear {name}, the right item of order {order_number} has been delivered. Sorry again for the "
        "trouble. Case {case_ref}.",
    ),
    "journey_wrong_item_failed": _sms(
        "Journey “Wrong item delivered”: the replacement could not be delivered; the customer chooses what next.",
        "Beste {name}, de vervanging van order {order_number} kon niet worden bezorgd. Wat wil je dat we "
        "doen?\n{choices}\nAntwoord met het nummer van je keuze of bel ons. Dossier {case_ref}.",
        "Dear {name}, the replacement for order {order_number} could not be delivered. What would you like "
        "us to do?\n{choices}\nReply with the number of your choice or call us. Case {case_ref}.",
    ),
}


def journeys_add(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    JourneyTemplate = apps.get_model("journeys", "JourneyTemplate")
    for key, fields in MESSAGES.items():
        MessageTemplate.objects.update_or_create(key=key, defaults=fields)
    for journey in JOURNEYS:
        template, _ = JourneyTemplate.objects.update_or_create(
            name=journey["name"],
            defaults={"description": journey["description"], "done_message_key": journey["done_message_key"]},
        )
        template.failures.all().delete()
        template.steps.all().delete()
        for position, (title, event_type, conditions, key) in enumerate(journey["steps"], start=1):
            template.steps.create(
                position=position, title=title, event_type=event_type, conditions=conditions, message_template_key=key
            )
        for title, event_type, conditions, key, choices in journey["failures"]:
            template.failures.create(
                title=title, event_type=event_type, conditions=conditions, message_template_key=key, choices=choices
            )


def journeys_remove(apps, schema_editor):
    apps.get_model("journeys", "JourneyTemplate").objects.filter(name__in=[j["name"] for j in JOURNEYS]).delete()
    apps.get_model("messaging", "MessageTemplate").objects.filter(key__in=MESSAGES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("journeys", "0001_case_journeys_and_templates"),
        ("messaging", "0002_message_templates_sms_social"),
    ]

    operations = [migrations.RunPython(journeys_add, journeys_remove)]
