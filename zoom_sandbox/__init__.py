"""A local Zoom for vrtual.ly: OAuth, the Meetings API and signed webhooks, with fault injection.

Run it with ``python -m zoom_sandbox``; build it in Python with ``create_app(Config(...))``.
"""

from .app import create_app
from .config import AppConfig, Config, RateLimitConfig, SandboxUser

__all__ = ["AppConfig", "Config", "RateLimitConfig", "SandboxUser", "create_app"]
