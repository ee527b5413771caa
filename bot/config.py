"""Settings read once from the environment or `.env` (DESIGN §3)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""

    def __init__(self, message: str, *, name: str = "", problem: str = "") -> None:
        super().__init__(message)
        self.name = name  # the setting, e.g. "PORT"
        self.problem = problem  # pydantic's reason, or "required"


class Settings(BaseSettings):
    """Every knob of wgbot; built once in cli.py and passed in."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///wgbot.db"
    wgbot_timezone: str = "Asia/Tokyo"
    wgbot_language: str = "ja"
    wgbot_command: str = "/wg"
    wgbot_report_channel: str | None = None
    # Where failed reminders are reported once a day (a channel id); else a log line.
    wgbot_operator_channel: str | None = None
    port: int = Field(default=3000, ge=1, le=65535)
    # How often the scheduler looks for due reminders; tests and benchmarks shorten it.
    wgbot_tick_seconds: float = Field(default=60.0, gt=0, le=3600)
    # Cases are kept in full through the fiscal year this many years after the one they
    # were closed in, then their free text is disposed of (docs/cases.md, "Retention").
    wgbot_case_retention_years: int = Field(default=5, ge=1, le=100)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("xoxb-"):
            raise ValueError("must start with xoxb-")
        return v

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not v.get_secret_value().startswith("xapp-"):
            raise ValueError("must start with xapp-")
        return v

    @field_validator("wgbot_timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r}") from exc
        return v

    @field_validator("wgbot_language")
    @classmethod
    def _language(cls, v: str) -> str:
        if v not in ("ja", "en"):
            raise ValueError("must be ja or en")
        return v

    @field_validator("wgbot_command")
    @classmethod
    def _command(cls, v: str) -> str:
        if not v.startswith("/") or len(v) < 2:
            raise ValueError("must start with / (for example /wg)")
        return v

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @property
    def tz(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.wgbot_timezone)


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning a validation error into one line naming the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "settings"
        problem = str(err["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"setting {name}: {problem}", name=name, problem=problem) from None


def require(settings: Settings, name: str) -> str:
    """Return a secret setting's value or stop with a one-line message."""
    value = getattr(settings, name.lower())
    if value is None:
        raise SettingsError(
            f"setting {name.upper()} is required for this command",
            name=name.upper(),
            problem="required",
        )
    return value.get_secret_value() if isinstance(value, SecretStr) else str(value)
