"""S3 — Last night's chatbot question: what she did online is on screen when she calls."""

from collections.abc import Iterator

from .scene import Scene, Step, call_end, last_night, phone_call, said

FATIMA_PHONE = "06 23456789"


def s3(scene: Scene) -> Iterator[Step]:
    mail = {"email": "f.elamrani@example.nl"}
    yield _chatbot_asked(scene, mail)
    yield _web_shop_visited(scene, mail)
    yield _wish_list_updated(scene, mail)
    started, call_id = phone_call(scene, FATIMA_PHONE)
    yield Step(
        "Next morning she calls: Daan's screen pops her picture with last night's chatbot question at "
        "the top — she does not start from zero.",
        [started],
    )
    yield Step(
        "The call ends; the store in Utrecht reserves the airfryer for her.",
        [call_end(scene, FATIMA_PHONE, call_id, 184, "Airfryer reserved in store Utrecht")],
    )


def _chatbot_asked(scene: Scene, mail: dict) -> Step:
    return Step(
        "Last night, 21:41: Fatima El Amrani asks the chatbot about the airfryer; it lands on her timeline.",
        [
            scene.event(
                "interaction.recorded",
                mail,
                said(
                    "chatbot",
                    "Asked the chatbot again whether the Philips Airfryer XXL is back in stock",
                    "Fatima: Is de Philips Airfryer XXL al weer op voorraad?\nBot: Online nog niet. Wil je "
                    "een bericht als hij binnen is?\nFatima: Ja. En in de winkel in Utrecht?\nBot: Dat kan ik "
                    "niet zien. Bel morgen vanaf 9:00 met de klantenservice.",
                ),
                at=last_night(21, 41),
            )
        ],
    )


def _web_shop_visited(scene: Scene, mail: dict) -> Step:
    return Step(
        "21:46: she browses the web shop; the visit sits next to the chat.",
        [
            scene.event(
                "interaction.recorded",
                mail,
                said(
                    "web",
                    "Viewed Philips Airfryer XXL: out of stock online",
                    "Productpagina bekeken (3 min), 'Tijdelijk uitverkocht' getoond.",
                    url="https://www.example.nl/p/kk-afr-xxl",
                ),
                at=last_night(21, 46),
            )
        ],
    )


def _wish_list_updated(scene: Scene, mail: dict) -> Step:
    return Step(
        "21:52: her wish list is updated — store staff see it on the tablet, nothing to retype.",
        [
            scene.event(
                "wishlist.updated",
                mail,
                {
                    "items": [
                        {"sku": "KK-AFR-XXL", "description": "Philips Airfryer XXL"},
                        {"sku": "KK-AFR-BKV", "description": "Bakvorm voor airfryer"},
                        {"sku": "KK-OVW-SIL", "description": "Siliconen ovenwanten"},
                    ]
                },
                at=last_night(21, 52),
            )
        ],
    )
