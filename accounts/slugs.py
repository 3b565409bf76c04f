"""Public addresses (slugs) for workspaces, which share the site's top-level URL space."""

from functools import cache

from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver
from django.utils.crypto import get_random_string
from django.utils.text import slugify

# Words kept free for the product even though no page uses them yet.
RESERVED = {"admin", "api", "app", "blog", "help", "www", "mail", "static", "status", "vrtually"}


@cache
def _site_prefixes():
    """The first path segment of every page of the site ("docs" for /docs/zoom, …)."""

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver) and not route.strip("/"):
                yield from walk(entry, route)
                continue
            first = route.lstrip("^/").split("/")[0]
            if first and "<" not in first:
                yield first.rstrip("$")

    return frozenset(walk(get_resolver(), ""))


def is_reserved(slug):
    return slug in RESERVED or slug in _site_prefixes()


def validate_public_slug(value):
    if is_reserved(value):
        raise ValidationError(
            "“%(value)s” is reserved; pick another address.", params={"value": value}
        )


def unique_workspace_slug(name, taken):
    """A free slug derived from ``name``; ``taken(slug)`` says whether one is in use."""
    base = slugify(name)[:30].strip("-") or "workspace"
    slug = base
    while is_reserved(slug) or taken(slug):
        slug = f"{base}-{get_random_string(4, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return slug
