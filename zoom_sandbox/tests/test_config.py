"""Configuration from ZOOM_SANDBOX_* environment variables and the JSON config file."""

import json

import pytest

from zoom_sandbox.config import DEMO_APP, SEED_USERS, Config, ConfigError

ENV = {
    "ZOOM_SANDBOX_CLIENT_ID": "cid",
    "ZOOM_SANDBOX_CLIENT_SECRET": "secret",
    "ZOOM_SANDBOX_REDIRECT_URIS": "http://a.test/cb/, http://b.test/cb/",
    "ZOOM_SANDBOX_WEBHOOK_SECRET": "wh",
    "ZOOM_SANDBOX_WEBHOOK_URL": "http://a.test/hooks/",
}


def test_it_reads_the_app_from_the_environment():
    config = Config.from_env(ENV)
    [app] = config.apps
    assert (app.client_id, app.client_secret, app.webhook_secret) == ("cid", "secret", "wh")
    assert app.redirect_uris == ("http://a.test/cb/", "http://b.test/cb/")
    assert app.scopes == ("meeting:read", "meeting:write") and app.name == "vrtual.ly"
    assert config.access_token_ttl == 3599 and config.refresh_token_ttl == 15 * 365 * 86400
    assert config.webhook_retry_delays == (300, 1200, 3600)
    assert config.rate_limits.light_per_second == 30 and config.control_enabled
    assert config.users == SEED_USERS


def test_it_reads_every_setting():
    config = Config.from_env(
        {
            **ENV,
            "ZOOM_SANDBOX_SCOPES": "meeting:read,meeting:write:meeting",
            "ZOOM_SANDBOX_APP_NAME": "Other",
            "ZOOM_SANDBOX_ACCESS_TOKEN_TTL": "60",
            "ZOOM_SANDBOX_REFRESH_TOKEN_TTL": "7776000",
            "ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS": "0.1,0.2",
            "ZOOM_SANDBOX_PUBLIC_URL": "http://zoom.test:8010/",
            "ZOOM_SANDBOX_STATE_FILE": "var/zoom-state.json",
            "ZOOM_SANDBOX_CONTROL": "0",
            "ZOOM_SANDBOX_RATE_LIMIT_PLAN": "business",
            "ZOOM_SANDBOX_RATE_LIMIT_DAILY": "5",
            "ZOOM_SANDBOX_RETRY_AFTER": "seconds",
        }
    )
    assert config.apps[0].scopes == ("meeting:read", "meeting:write:meeting")
    assert config.apps[0].name == "Other"
    assert (config.access_token_ttl, config.refresh_token_ttl) == (60, 7776000)
    assert config.webhook_retry_delays == (0.1, 0.2)
    assert config.public_url == "http://zoom.test:8010"
    assert config.state_file == "var/zoom-state.json" and not config.control_enabled
    limits = config.rate_limits
    assert (limits.light_per_second, limits.medium_per_second) == (80, 60)
    assert (limits.daily_create_update, limits.retry_after) == (5, "seconds")


def test_it_serves_the_demo_app_when_nothing_is_configured():
    assert Config.from_env({}).apps == (DEMO_APP,)


def test_it_can_switch_rate_limits_off():
    assert not Config.from_env({"ZOOM_SANDBOX_RATE_LIMIT_PLAN": "off"}).rate_limits.enabled


def test_it_reads_more_apps_and_users_from_a_file(tmp_path):
    path = tmp_path / "zoom.json"
    path.write_text(
        json.dumps(
            {
                "apps": [
                    {
                        "client_id": "second",
                        "client_secret": "s2",
                        "redirect_uris": ["http://c.test/cb/"],
                        "name": "Second app",
                    }
                ],
                "users": [
                    {
                        "user_id": "u1",
                        "account_id": "a1",
                        "email": "file@example.com",
                        "first_name": "File",
                        "last_name": "User",
                    }
                ],
            }
        )
    )
    config = Config.from_env({**ENV, "ZOOM_SANDBOX_CONFIG": str(path)})
    assert [a.client_id for a in config.apps] == ["cid", "second"]
    assert config.users[-1].email == "file@example.com"


@pytest.mark.parametrize(
    "env",
    [
        {**ENV, "ZOOM_SANDBOX_CLIENT_SECRET": ""},
        {**ENV, "ZOOM_SANDBOX_REDIRECT_URIS": ""},
        {**ENV, "ZOOM_SANDBOX_ACCESS_TOKEN_TTL": "an hour"},
        {**ENV, "ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS": "5m"},
        {**ENV, "ZOOM_SANDBOX_RATE_LIMIT_PLAN": "gold"},
        {**ENV, "ZOOM_SANDBOX_RETRY_AFTER": "tomorrow"},
        {**ENV, "ZOOM_SANDBOX_CONFIG": "/nonexistent/zoom.json"},
    ],
)
def test_it_explains_unusable_settings(env):
    with pytest.raises(ConfigError):
        Config.from_env(env)


def test_it_explains_a_malformed_config_file(tmp_path):
    path = tmp_path / "zoom.json"
    path.write_text('{"apps": [{"client_id": "x"}]}')
    with pytest.raises(ConfigError):
        Config.from_env({"ZOOM_SANDBOX_CONFIG": str(path)})
