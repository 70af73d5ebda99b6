"""User settings that are not window state: where the Hub is, where models go.

Kept in ``settings.json`` in the data folder. A save writes only the settings changed since they
were loaded, into the file as it is then (:meth:`JsonFile.update`), so a change another process
saved meanwhile stays. The Hub endpoint has three sources, in this order of precedence:

1. ``--endpoint URL`` on the command line (``override``);
2. the setting, once the user has chosen one in the Settings dialog;
3. the ``HF_ENDPOINT`` environment variable, which guides for users in China tell them to set;
4. ``https://huggingface.co``.

For the command line the issue asks that ``HF_ENDPOINT`` override the app setting, so
:func:`hub_endpoint` takes ``env_first`` for that case.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workbench.core import paths
from workbench.core.i18n import translate
from workbench.core.state import JsonFile

HUB_DEFAULT = "https://huggingface.co"
HUB_MIRROR = "https://hf-mirror.com"
# (key, URL): the Settings dialog offers these by name, "custom" takes any URL.
ENDPOINT_PRESETS = (("huggingface", HUB_DEFAULT), ("mirror", HUB_MIRROR))


class SettingsError(ValueError):
    """A setting value the user typed is unusable; the message is one sentence."""


def normalize_endpoint(url: str | None) -> str:
    """A Hub address as used everywhere: ``http(s)://host[:port][/path]``, no trailing slash.

    The one check for every source of the address (the Settings dialog, ``--endpoint``,
    ``HF_ENDPOINT``, the saved setting, :class:`~workbench.core.hub.client.HubClient`).

    Raises:
        SettingsError: One sentence, when it is not a usable web address.
    """
    text = (url or "").strip().rstrip("/")
    try:
        parts = urlsplit(text)
        # .port raises ValueError for a port that is not a number or out of range.
        port_ok = parts.port is None or parts.port > 0
        usable = parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok
    except ValueError:  # also "http://[::1" (an unclosed IPv6 address)
        usable = False
    if not usable:
        if text:
            sentence = translate(
                "core.settings",
                "The Hub address “{text}” is not a web address; it must start with https:// (or "
                "http://), like {example}.",
            )
        else:
            sentence = translate(
                "core.settings",
                "The Hub address is empty; it must start with https:// (or http://), like "
                "{example}.",
            )
        raise SettingsError(sentence.format(text=text, example=HUB_MIRROR))
    if parts.query or parts.fragment:
        raise SettingsError(
            translate("core.settings", "The Hub endpoint must not contain “?” or “#”.")
        )
    # "HTTPS://" works but would not match the presets (endpoint_preset) nor compare equal.
    return parts.scheme + text[len(parts.scheme) :]


@dataclass
class Settings:
    """The settings as stored. ``None`` means "not chosen": the default applies."""

    hub_endpoint: str | None = None
    models_dir: str | None = None
    # Send the Hub access token to an address other than huggingface.co (off unless allowed).
    hub_token_to_mirror: bool = False
    # Load the model that was loaded when the app closed, at the next start.
    load_last_model: bool = True
    # The window's language: a catalogue's code ("zh_CN", "en"), or None to follow the system.
    language: str | None = None
    # The values as last loaded or saved; None for settings made in code, which save whole.
    _saved: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def values(self) -> dict[str, Any]:
        """The settings as stored in the file."""
        values: dict[str, Any] = {"hub_endpoint": self.hub_endpoint, "models_dir": self.models_dir}
        # These two are stored only when they differ from their defaults.
        if self.hub_token_to_mirror:
            values["hub_token_to_mirror"] = True
        if not self.load_last_model:
            values["load_last_model"] = False
        if self.language:
            values["language"] = self.language
        return values

    def models_path(self) -> Path:
        """The models folder, created if needed (default: ``models`` in the data folder)."""
        if self.models_dir:
            path = Path(self.models_dir).expanduser()
            path.mkdir(parents=True, exist_ok=True)
            return path
        return paths.models_dir()


def settings_file() -> JsonFile:
    return JsonFile(paths.data_dir() / "settings.json")


def load_settings() -> Settings:
    """The saved settings; unusable values fall back to their defaults."""
    data = settings_file().load()
    endpoint = data.get("hub_endpoint")
    try:
        endpoint = normalize_endpoint(endpoint) if isinstance(endpoint, str) else None
    except SettingsError:
        endpoint = None
    models = data.get("models_dir")
    load_last = data.get("load_last_model")
    language = data.get("language")
    settings = Settings(
        hub_endpoint=endpoint,
        models_dir=models if isinstance(models, str) and models.strip() else None,
        hub_token_to_mirror=data.get("hub_token_to_mirror") is True,
        load_last_model=load_last if isinstance(load_last, bool) else True,
        language=language if isinstance(language, str) and language else None,
    )
    settings._saved = settings.values()
    return settings


def save_settings(settings: Settings) -> None:
    """Write the settings changed since ``settings`` was loaded (all of them if it was made in
    code) into the file as it is now; other keys and others' changes stay.

    Raises:
        OSError: The file could not be written.
    """
    values = settings.values()
    saved = settings._saved
    if saved is None:
        changed = values
    else:  # a key gone from the values is back at its default: None in the file says so
        keys = values.keys() | saved.keys()
        changed = {k: values.get(k) for k in keys if values.get(k) != saved.get(k)}
    settings_file().update(lambda data: {**data, **changed})
    settings._saved = values


def hub_endpoint(
    settings: Settings | None = None,
    *,
    override: str | None = None,
    env_first: bool = False,
    environ: dict[str, str] | os._Environ | None = None,
) -> str:
    """The Hub endpoint to use now (see the module docstring for the order).

    Raises SettingsError when ``override`` or ``HF_ENDPOINT`` is not a usable URL, so a typo is
    reported instead of silently using another server.
    """
    environ = os.environ if environ is None else environ
    if override:
        return normalize_endpoint(override)
    settings = settings if settings is not None else load_settings()
    env = (environ.get("HF_ENDPOINT") or "").strip()
    if env and (env_first or settings.hub_endpoint is None):
        try:
            return normalize_endpoint(env)
        except SettingsError as exc:
            raise SettingsError(
                translate(
                    "core.settings", "HF_ENDPOINT is set to an unusable value: {reason}"
                ).format(reason=exc)
            ) from None
    return settings.hub_endpoint or HUB_DEFAULT


def endpoint_preset(url: str) -> str:
    """The preset key for an endpoint URL ("huggingface", "mirror"), or "custom"."""
    for key, preset in ENDPOINT_PRESETS:
        if url.rstrip("/") == preset:
            return key
    return "custom"
