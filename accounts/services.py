"""Writes for accounts and workspaces: the rules views, commands and tests share."""

from django.db import transaction

from accounts.models import User, Workspace, normalize_email
from accounts.slugs import unique_workspace_slug


@transaction.atomic
def user_signup(*, name, email, password, time_zone="UTC"):
    """Create a host's account and their Workspace together: one never exists without the other."""
    user = User.objects.create_user(
        normalize_email(email), password, name=name.strip(), time_zone=time_zone
    )
    workspace_name = user.name or user.email.split("@")[0]
    Workspace.objects.create(
        owner=user,
        name=workspace_name,
        slug=unique_workspace_slug(
            workspace_name, lambda slug: Workspace.objects.filter(slug=slug).exists()
        ),
    )
    return user
