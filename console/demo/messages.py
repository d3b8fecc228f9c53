"""What customers write that expects an answer, and what the agents answer: the words of the demo
inbox (demo/inbox.py) and of the simulator's messages (demo/simulation/traffic.py).

Plain data. Each question: (channels, summary for the agent, the customer's words in Dutch and
in English, the agent's answer in Dutch and in English). {product} is filled in per message.
"""

SOCIAL = ("twitter", "facebook", "instagram")

QUESTIONS = [
    (
        SOCIAL,
        "Public post: parcel not delivered although promised for yesterday",
        "@klantbeeld Mijn pakket zou gisteren komen, nog steeds niks. Track & trace zegt 'onderweg'. Hoe zit dat?",
        "@klantbeeld My parcel was due yesterday, still nothing. Tracking says 'on its way'. What's going on?",
        "Vervelend! Stuur je ons een DM met je ordernummer? Dan zoeken we het meteen uit.",
        "Sorry about that! Could you DM us your order number? We'll look into it right away.",
    ),
    (
        ("twitter", "facebook"),
        "Public post: asked whether the {product} is in stock in a store nearby",
        "Hebben jullie de {product} nog in de winkel in Utrecht? Online staat hij op uitverkocht.",
        "Do you still have the {product} in the Utrecht store? It says sold out online.",
        "In Utrecht liggen er nog 2. Wil je dat we er een apart leggen? Stuur ons even een DM.",
        "The Utrecht store has 2 left. Shall we put one aside for you? Just send us a DM.",
    ),
    (
        ("instagram", "facebook"),
        "Comment: asked whether the {product} comes in black",
        "Is deze {product} ook in het zwart te krijgen? 😍",
        "Does this {product} come in black too? 😍",
        "Ja! De zwarte versie staat vanaf volgende week online.",
        "Yes! The black one will be online from next week.",
    ),
    (
        ("facebook", "whatsapp"),
        "Message: the {product} arrived damaged",
        "Kijk, zo kwam de {product} binnen. De doos was helemaal ingedeukt en er zit een barst in.",
        "Look how the {product} arrived. The box was crushed and it has a crack.",
        "Wat balen! We sturen vandaag een nieuwe; de beschadigde mag je houden tot de koerier hem ophaalt.",
        "How annoying! We'll send a new one today; keep the damaged one until the courier collects it.",
    ),
    (
        ("whatsapp", "chat"),
        "Asked how to return the {product}",
        "Hoi! Ik wil de {product} terugsturen, hij past niet. Hoe werkt dat?",
        "Hi! I'd like to return the {product}, it doesn't fit. How does that work?",
        "Je kunt hem gratis retour sturen via Mijn bestellingen; het label komt per e-mail.",
        "You can return it for free under My orders; the label comes by e-mail.",
    ),
    (
        ("chat", "whatsapp"),
        "Asked whether the {product} can be delivered on Saturday",
        "Kan de {product} ook op zaterdag bezorgd worden? Doordeweeks ben ik niet thuis.",
        "Can the {product} be delivered on a Saturday? I'm not home on weekdays.",
        "Dat kan: ik heb zaterdag tussen 9 en 13 uur voor je gereserveerd.",
        "It can: I've booked Saturday between 9 and 13 for you.",
    ),
    (
        ("chatbot",),
        "Chatbot handed over: wants a person about a refund",
        "Klant: Ik wil een medewerker spreken over mijn terugbetaling.\nBot: Ik zet je door naar een collega.",
        "Customer: I want to talk to a person about my refund.\nBot: I'm passing you to a colleague.",
        "De terugbetaling is gisteren gedaan; binnen 2 werkdagen staat hij op je rekening.",
        "The refund went out yesterday; it will be in your account within 2 working days.",
    ),
    (
        ("chatbot",),
        "Chatbot could not answer: warranty repair of the {product}",
        "Klant: Mijn {product} doet het niet meer, valt dat onder garantie?\nBot: Dat weet ik niet zeker.",
        "Customer: My {product} stopped working, is that under warranty?\nBot: I'm not sure about that.",
        "Ja, die valt nog onder de garantie. Je kunt hem in elke winkel inleveren.",
        "Yes, that's still under warranty. You can hand it in at any store.",
    ),
    (
        ("sms",),
        "SMS: asked to deliver to the neighbours",
        "Ik ben morgen niet thuis, mag het pakket naar nr. 12?",
        "I'm out tomorrow, can the parcel go to number 12?",
        "Is geregeld: de bezorger geeft het af op nr. 12.",
        "Done: the courier will leave it at number 12.",
    ),
    (
        ("sms",),
        "SMS: asked for another delivery slot",
        "Dinsdag kan ik niet. Kan het ook donderdag?",
        "Tuesday doesn't work for me. Could it be Thursday?",
        "Donderdag tussen 14 en 16 uur staat genoteerd.",
        "Thursday between 14 and 16 is booked.",
    ),
    (
        ("email",),
        "E-mail: charged twice for one order",
        "Goedemiddag, ik zie twee afschrijvingen voor dezelfde bestelling van de {product}. Kunt u dat nakijken?",
        "Good afternoon, I see two charges for the same order of the {product}. Could you check?",
        "U heeft gelijk: de tweede afschrijving storten wij vandaag terug. Excuses voor het ongemak.",
        "You are right: we are refunding the second charge today. Sorry for the trouble.",
    ),
    (
        ("email",),
        "E-mail: requested a copy of the latest invoice",
        "Goedemiddag, kunt u mij een kopie van mijn laatste factuur sturen? Met vriendelijke groet.",
        "Good afternoon, could you send me a copy of my latest invoice? Kind regards.",
        "In de bijlage vindt u de kopie van uw laatste factuur.",
        "Please find a copy of your latest invoice attached.",
    ),
    (
        ("email", "post"),
        "Complaint: the {product} was delivered a week late",
        "Ik heb de {product} een week te laat ontvangen en niemand liet iets weten. Dat vind ik slordig.",
        "The {product} arrived a week late and nobody told me. I find that careless.",
        "Dat had niet mogen gebeuren. Als excuus storten wij de bezorgkosten terug.",
        "That should not have happened. We are refunding the delivery costs as an apology.",
    ),
    (
        ("post",),
        "Letter: objects to a reminder fee",
        "Brief: 'Ik heb de factuur op tijd betaald en toch een aanmaning met kosten gekregen.'",
        "Letter: 'I paid the invoice on time and still received a reminder with a fee.'",
        "Wij hebben de aanmaningskosten geschrapt; de betaling was inderdaad op tijd.",
        "We have cancelled the reminder fee; the payment was indeed on time.",
    ),
]

# Messages that need no answer but still arrive on an answering channel: (channels, summary,
# words in Dutch, in English, why no reply is needed).
THANKS = [
    (
        SOCIAL,
        "Public post: happy with the quick delivery",
        "Vandaag al binnen, netjes verpakt. Top service! 👍",
        "Arrived today, nicely packed. Great service! 👍",
        "A thank-you; liked it",
    ),
    (
        ("whatsapp", "chat", "sms", "email"),
        "Said thanks, the matter is solved",
        "Het is gelukt, bedankt voor de hulp!",
        "It worked, thanks for the help!",
        "The customer says it is solved",
    ),
]

# The source system that reports a customer's message on each channel.
CHANNEL_SOURCE = {
    "twitter": "social-listening",
    "facebook": "social-listening",
    "instagram": "social-listening",
    "whatsapp": "whatsapp",
    "chat": "chat",
    "chatbot": "chatbot",
    "sms": "sms-gateway",
    "email": "mailbox",
    "post": "postroom",
}
# How each channel names its threads (the event's data.thread); empty: one thread per customer
# (an SMS or WhatsApp number, letters).
THREAD_PREFIX = {
    "twitter": "tw",
    "facebook": "fb",
    "instagram": "ig",
    "chat": "chat",
    "chatbot": "bot",
    "email": "mail",
}


def questions_for(channel: str) -> list[tuple]:
    return [q for q in QUESTIONS if channel in q[0]]


def thanks_for(channel: str) -> list[tuple]:
    return [t for t in THANKS if channel in t[0]]
