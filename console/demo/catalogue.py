"""The fixed material demo histories are made of: products, what customers say, case topics.

Plain data, no database access, so the crowd, the stories and the bulk seeder draw from
the same words and the demo reads like one shop.
"""

from decimal import Decimal

# (sku, description, unit price): what a Dutch general retailer with a web shop sells.
PRODUCTS = [
    ("HT-VOG-EIK", "Vogelhuisje Eiken", Decimal("34.95")),
    ("AU-KOP-BT7", "Draadloze koptelefoon", Decimal("129.00")),
    ("KK-KZA-12", "Koffiezetapparaat", Decimal("59.99")),
    ("KK-AFR-XXL", "Philips Airfryer XXL", Decimal("249.00")),
    ("KK-WKT-17", "Waterkoker RVS 1,7 liter", Decimal("34.99")),
    ("KK-STM-800", "Staafmixer 800 W", Decimal("44.95")),
    ("KK-PAN-SET", "Pannenset 5-delig", Decimal("149.00")),
    ("HT-STO-ROB", "Robotstofzuiger", Decimal("299.00")),
    ("HT-BED-240", "Dekbedovertrek 240x220", Decimal("49.95")),
    ("HT-LMP-VLR", "Vloerlamp zwart", Decimal("79.00")),
    ("TU-HDR-K5", "Hogedrukreiniger", Decimal("349.00")),
    ("TU-PAR-BLT", "Parasol 300 cm", Decimal("119.00")),
    ("TU-BBQ-GAS", "Gasbarbecue 3 branders", Decimal("399.00")),
    ("TU-TUI-SLG", "Tuinslang 25 m", Decimal("29.95")),
    ("SP-FTS-DRG", "Fietsendrager 2 fietsen", Decimal("279.00")),
    ("SP-FTS-SLT", "Fietsslot ART-2", Decimal("64.95")),
    ("EL-TV-55", "Televisie 55 inch 4K", Decimal("549.00")),
    ("EL-SPK-BT", "Bluetooth speaker", Decimal("79.99")),
    ("EL-LAD-USB", "USB-C snellader", Decimal("24.99")),
    ("EL-TAB-10", "Tablet 10 inch 64 GB", Decimal("229.00")),
    ("SP-SPL-KIN", "Bordspel Kolonisten", Decimal("39.95")),
    ("SP-LEG-CTY", "Bouwset brandweerkazerne", Decimal("89.99")),
    ("BO-ZWA-KOF", "Koffiebonen 1 kg", Decimal("16.49")),
    ("BO-KAL-26", "Verjaardagskalender", Decimal("12.50")),
]

# Wish-list extras that go with an airfryer (story S3 uses them too).
AIRFRYER = ("KK-AFR-XXL", "Philips Airfryer XXL")
AIRFRYER_EXTRAS = [("KK-AFR-BKV", "Bakvorm voor airfryer"), ("KK-OVW-SIL", "Siliconen ovenwanten")]

# What customers contact us about. Each: (channels, summary for the agent, body in Dutch,
# body in English). Summaries are English because the console is; the body is what the
# customer wrote or said, in their own language. {product} is filled in per customer.
INTERACTIONS = [
    (
        ("email", "chat", "whatsapp"),
        "Asked when the {product} will be delivered",
        "Hallo, ik heb vorige week een {product} besteld. Wanneer wordt die bezorgd?",
        "Hi, I ordered a {product} last week. When will it be delivered?",
    ),
    (
        ("phone",),
        "Question about the warranty on the {product}",
        "Klant belt: {product} maakt een raar geluid, valt dat onder de garantie? Uitgelegd hoe "
        "garantie aanvragen werkt.",
        "Customer calls: the {product} makes a strange noise, is that covered? Explained the warranty procedure.",
    ),
    (
        ("chatbot",),
        "Asked the chatbot about opening hours of the store",
        "Klant: Hoe laat zijn jullie zaterdag open?\nBot: Zaterdag van 9:00 tot 18:00.",
        "Customer: What time are you open on Saturday?\nBot: Saturday 9:00 to 18:00.",
    ),
    (
        ("chatbot",),
        "Asked the chatbot whether the {product} is in stock",
        "Klant: Is de {product} op voorraad?\nBot: Online is hij op voorraad, in de winkel wisselt dat per filiaal.",
        "Customer: Is the {product} in stock?\nBot: It is in stock online; stores vary.",
    ),
    (
        ("twitter", "instagram"),
        "Public post: happy with the quick delivery",
        "Vandaag al binnen, netjes verpakt. Top service! 👍",
        "Arrived today, nicely packed. Great service! 👍",
    ),
    (
        ("twitter",),
        "Public post: complaint about waiting time on the phone",
        "Al 25 minuten in de wacht bij de klantenservice... serieus?",
        "25 minutes on hold with customer service... seriously?",
    ),
    (
        ("email",),
        "Requested a copy of the latest invoice",
        "Goedemiddag, kunt u mij een kopie van mijn laatste factuur sturen? Met vriendelijke groet.",
        "Good afternoon, could you send me a copy of my latest invoice? Kind regards.",
    ),
    (
        ("whatsapp", "chat"),
        "Asked how to return the {product}",
        "Hoi! Ik wil de {product} terugsturen, hij past niet. Hoe werkt dat?",
        "Hi! I'd like to return the {product}, it doesn't fit. How does that work?",
    ),
    (
        ("phone",),
        "Changed the delivery address for a pending order",
        "Klant verhuist volgende week; bezorgadres voor de openstaande bestelling aangepast.",
        "Customer moves next week; changed the delivery address for the open order.",
    ),
    (
        ("store",),
        "Looked at the {product} in the store, wants to think about it",
        "Klant bekeek de {product} in de winkel en komt er later op terug.",
        "Customer looked at the {product} in store and will come back to it.",
    ),
    (
        ("store",),
        "Picked up a click & collect order",
        "Bestelling opgehaald aan de servicebalie, legitimatie gecontroleerd.",
        "Order collected at the service desk, ID checked.",
    ),
    (
        ("web",),
        "Viewed the {product} product page",
        "Productpagina bekeken (3 min), specificaties en reviews geopend.",
        "Viewed the product page (3 min), opened specifications and reviews.",
    ),
    (
        ("web",),
        "Compared three products in the {product} category",
        "Vergelijker gebruikt voor 3 producten, daarna het winkelmandje geopend.",
        "Used the comparison tool for 3 products, then opened the basket.",
    ),
    (
        ("email",),
        "Unsubscribed from the newsletter",
        "Graag uitschrijven voor de nieuwsbrief, ik krijg er te veel.",
        "Please unsubscribe me from the newsletter, I get too many.",
    ),
]

# Case topics: (kind, title, next step, what the customer said that started it).
CASE_TOPICS = [
    (
        "complaint",
        "Bestelling te laat geleverd",
        "Offer a EUR 10 voucher and confirm by e-mail",
        "Customer complains the order arrived four days late",
    ),
    (
        "complaint",
        "Beschadigd product ontvangen",
        "Arrange a replacement and a courier pickup",
        "Customer received the {product} damaged",
    ),
    (
        "question",
        "Vraag over garantie {product}",
        "Check the serial number with the supplier",
        "Customer asks whether the {product} defect is covered by warranty",
    ),
    (
        "question",
        "Factuur klopt niet",
        "Check the invoice against the order and correct it",
        "Customer says the invoice amount does not match the order",
    ),
    ("return", "Retour {product}", "Send a return label by e-mail", "Customer wants to return the {product}"),
]

# For the bulk seeder: cheap names, no Faker per row (Faker is too slow for a million).
FIRST_NAMES = [
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Milan",
    "Jesse",
    "Bram",
    "Thijs",
    "Ruben",
    "Lars",
    "Sven",
    "Noah",
    "Mohamed",
    "Pieter",
    "Jan",
    "Kees",
    "Wim",
    "Henk",
    "Gert",
    "Emma",
    "Julia",
    "Mila",
    "Sophie",
    "Tess",
    "Zoë",
    "Sara",
    "Anna",
    "Noor",
    "Lotte",
    "Fleur",
    "Eva",
    "Lieke",
    "Femke",
    "Sanne",
    "Anouk",
    "Fatima",
    "Yasmin",
    "Ingrid",
    "Marieke",
    "Johanna",
    "Willemijn",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "Yilmaz",
    "El Amrani",
    "Kaya",
    "Bouzid",
    "Nguyen",
    "Wijaya",
    "Postma",
    "Kuipers",
]
