"""
Connections to third-party accounts (Zoom today), kept to what the product needs.

Tokens are stored encrypted (see lib.crypto) and never leave this module's services in
plaintext except to make a call to the provider.
"""

from django.db import models
from django.utils import timezone

from accounts.models import Workspace


class Provider(models.TextChoices):
    ZOOM = "zoom", "Zoom"


class Connection(models.Model):
    """A workspace's authorization to act on one provider account: one per provider."""

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        NEEDS_RECONNECT = "needs_reconnect", "Needs reconnect"

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="connections")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    problem = models.TextField(blank=True, help_text="Why the connection needs reconnecting.")

    # The provider's own identifiers, needed to match its deauthorization notices.
    external_user_id = models.CharField(max_length=100, db_index=True)
    external_account_id = models.CharField(max_length=100, blank=True)
    # A human label for the account (an email), learned when the provider tells us.
    account_label = models.CharField(max_length=254, blank=True)
    scopes = models.CharField(max_length=500, blank=True)

    access_token = models.TextField(help_text="Encrypted.")
    access_token_expires_at = models.DateTimeField()
    refresh_token = models.TextField(help_text="Encrypted.")
    # Bumped on every token write so a writer can tell it raced another one.
    token_version = models.PositiveIntegerField(default=1)

    connected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "provider"], name="one_connection_per_provider"
            )
        ]

    def __str__(self):
        return f"{self.get_provider_display()} connection of {self.workspace}"


class Revocation(models.Model):
    """
    Tokens of a removed connection that the provider has not yet confirmed revoking.

    They are used for nothing but the revoke call, retried until the provider confirms, and
    deleted then.
    """

    provider = models.CharField(max_length=20, choices=Provider.choices)
    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="revocations")
    external_user_id = models.CharField(max_length=100, blank=True, db_index=True)
    access_token = models.TextField(help_text="Encrypted.")
    refresh_token = models.TextField(help_text="Encrypted.")
    cause = models.CharField(max_length=300)
    created = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return f"Pending revocation for {self.workspace_id}"


class Activity(models.Model):
    """One call made to a provider, and the person's action that caused it."""

    class Outcome(models.TextChoices):
        OK = "ok", "Succeeded"
        FAILED = "failed", "Failed"

    workspace = models.ForeignKey(Workspace, models.CASCADE, related_name="integration_activity")
    provider = models.CharField(max_length=20, choices=Provider.choices)
    at = models.DateTimeField(default=timezone.now)
    operation = models.CharField(max_length=40)
    meeting_id = models.CharField(max_length=30, blank=True)
    cause = models.CharField(max_length=300)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["workspace", "provider", "-at"])]
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.operation} at {self.at:%Y-%m-%d %H:%M:%S}"


class WebhookEvent(models.Model):
    """A provider notification already handled, so a redelivery changes nothing."""

    provider = models.CharField(max_length=20, choices=Provider.choices)
    key = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "key"], name="one_webhook_event_per_key")
        ]

    def __str__(self):
        return f"{self.provider} event {self.key[:12]}"


class RateWindow(models.Model):
    """
    How many calls went to a provider within one time window, shared by every process.

    ``key`` names what is limited (a user's meeting creations and updates) and ``slot`` the
    window (a day number).
    """

    key = models.CharField(max_length=120)
    slot = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "slot"], name="one_count_per_window")
        ]

    def __str__(self):
        return f"{self.key}@{self.slot}: {self.count}"


class RatePace(models.Model):
    """
    The earliest moment the next call under one rate limit may start (Unix time, seconds).

    Each call takes the next free moment and moves it on by the limit's spacing, so calls from
    every process are spread evenly and no one-second span ever holds more than the limit.
    """

    key = models.CharField(max_length=120, unique=True)
    next_at = models.FloatField(default=0)

    def __str__(self):
        return f"{self.key}: {self.next_at}"
