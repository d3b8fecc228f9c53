"""S2 — Mail that keeps coming back: a returned letter is a signal every channel sees."""

from collections.abc import Iterator

from console.demo.story_s2 import TWEET_THREAD

from .scene import SANNE, Scene, Step, address_line, said


def s2(scene: Scene) -> Iterator[Step]:
    yield _letter_returned(scene)
    yield _tweet_arrives(scene)
    yield _webcare_replies(scene)


def _letter_returned(scene: Scene) -> Step:
    return Step(
        "The post room scans a second returned letter for Sanne Jansen: it is on her timeline within a "
        "second, for webcare, phone and store alike; the address stays undeliverable.",
        [
            scene.event(
                "mail.returned",
                {"customer_number": SANNE},
                {
                    "mail_ref": "INV-2026-881 herinnering",
                    "reason": "addressee_unknown",
                    "address": "Dorpsstraat 1, 1234 AB Ergens",
                },
            )
        ],
        check=lambda s: address_line(s, SANNE),
    )


def _tweet_arrives(scene: Scene) -> Step:
    return Step(
        "Sanne tweets about it again; last night's tweet is still unanswered in webcare's inbox. Webcare "
        "sees the tweet arrive live, with both returned letters right below it and the address flagged "
        "undeliverable in the header.",
        [
            scene.event(
                "interaction.recorded",
                {"handle": {"network": "twitter", "value": "@sjansen"}},
                said(
                    "twitter",
                    "Public post: letters keep coming for someone who does not live here",
                    "@klantbeeld Alweer een brief voor iemand die hier niet woont. Twee keer 'retour afzender' "
                    "op de envelop gezet, maar ze blijven komen. Leest iemand dat eigenlijk?",
                    thread=TWEET_THREAD,
                ),
            )
        ],
    )


def _webcare_replies(scene: Scene) -> Step:
    return Step(
        "Webcare replies on Twitter; the reply is on the timeline too. Any agent can now confirm or "
        "correct the address from the prompt on the picture: that clears the flag, on the record.",
        [
            scene.event(
                "interaction.recorded",
                {"handle": {"network": "twitter", "value": "@sjansen"}},
                {
                    "channel": "twitter",
                    "direction": "outbound",
                    "agent": "webcare",
                    "summary": "Replied: sorry, we will correct the address; asked for details by DM",
                    "body": "@sjansen Sorry, dat had niet mogen gebeuren. We zien beide retourbrieven. Stuur je "
                    "ons een DM met het juiste adres? Dan passen we het meteen aan. ^Lotte",
                    "thread": TWEET_THREAD,
                },
            )
        ],
    )
