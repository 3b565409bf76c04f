"""Emails rendered from a trio of templates: <name>_subject.txt, <name>.txt and <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_templated_email(name, context, to, *, attachments=(), headers=None):
    context = {"base_url": settings.BASE_URL, "support_email": settings.SUPPORT_EMAIL, **context}
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{name}.txt", context),
        to=list(to),
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
    for attachment in attachments:
        message.attach(attachment)
    return message


def send_templated_email(name, context, to, **kwargs):
    build_templated_email(name, context, to, **kwargs).send()
