"""URL path converters that let only well-formed identifiers reach the database."""


class TokenConverter:
    """A manage token, as ``secrets.token_urlsafe`` makes them."""

    regex = "[A-Za-z0-9_-]{16,64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ReferenceConverter(TokenConverter):
    """A booking reference like VR-7K3QXM."""

    regex = "VR-[A-Z0-9]{6}"
