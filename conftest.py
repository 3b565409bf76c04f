"""Suite-wide test set-up. Fixtures that start processes (the Zoom sandbox…) live here."""


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly is slow by design; tests don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
