import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid

from console.messaging.backends import DeliveryFailed, DeliveryUncertain


class DjangoEmailBackend:
    """E-mail through Django's e-mail backend (``EMAIL_BACKEND``: SMTP, console, file, ...)."""

    def send(self, message) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
        message_id = make_msgid(domain=domain)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            # The key lets a mail relay or a support engineer recognise a message sent twice.
            headers={"Message-ID": message_id, "X-Klantbeeld-Message": message.idempotency_key},
            connection=get_connection(fail_silently=False),
        )
        try:
            accepted = email.send()
        except (smtplib.SMTPServerDisconnected, TimeoutError) as exc:
            # The connection went away while the message was being handed over: the server
            # may have taken it. Sending again could mean the customer gets it twice.
            raise DeliveryUncertain(f"The mail server connection was lost: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"The mail server refused the message: {exc}") from exc
        if not accepted:
            raise DeliveryFailed("The mail server accepted no recipient.")
        return message_id
