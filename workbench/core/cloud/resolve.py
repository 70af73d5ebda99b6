"""Turning a provider name into a backend: one way for the window and the command line.

A :class:`Target` is what a provider name stands for: who it is (a configured provider, or a
preset used as is), its preset and the address to talk to. The window makes one from a
configured provider as saved (:meth:`Target.of`); the command line resolves a name typed by
the user (:func:`resolve`), where the address is, in this order:

1. an explicit address (``--base-url``);
2. the configured provider's address, when the user changed it from the preset's;
3. ``OPENAI_BASE_URL`` for the OpenAI preset, as the OpenAI SDK and tools built on it read it;
4. the preset's address (for a configured provider: the one saved with it).

Both then make the backend with :func:`open_backend`, so a reply saved from either names its
provider the same way. Nothing here reads a key from the keychain by itself: the caller passes
the key (the window reads keys off its GUI thread; :func:`key_for` is the command line's read).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.cloud.providers import (
    PRESETS,
    Provider,
    ProviderError,
    ProviderPreset,
    ProviderStore,
    key_variable,
    normalize_base_url,
    preset,
    preset_name,
)
from workbench.core.i18n import translate

if TYPE_CHECKING:
    from workbench.core.cloud.backend import CloudBackend
    from workbench.core.cloud.prices import Price
    from workbench.core.keys import KeyStore

# The openai SDK is imported only when a backend is made (open_backend): resolving a name, or
# `workbench --version`, should not pay for it.


class ResolveError(Exception):
    """A provider name that cannot be turned into a backend; str() is one plain sentence."""


class UnknownProvider(ResolveError):
    """No configured provider and no preset has this name."""


class AddressNeeded(ResolveError):
    """The provider has no address of its own (Custom) and none was given.

    Attributes:
        provider_name: The provider's display name, for the caller's own wording.
    """

    def __init__(self, provider_name: str) -> None:
        super().__init__(
            translate(
                "core.cloud", "{provider} needs a base URL, like http://localhost:8000/v1."
            ).format(provider=provider_name)
        )
        self.provider_name = provider_name


class KeyNeeded(ResolveError):
    """A cloud service that cannot work without a key has none."""


@dataclass
class Target:
    """What a provider name resolved to.

    Attributes:
        id: The configured provider's id, or the preset id; also names its key.
        name: The name shown to the user.
        info: The provider's preset.
        base_url: The address to talk to.
        configured: The configured provider, or None for a preset used as is.
    """

    id: str
    name: str
    info: ProviderPreset
    base_url: str
    configured: Provider | None

    @classmethod
    def of(cls, provider: Provider) -> Target:
        """A configured provider, at its saved address."""
        return cls(provider.id, provider.name, provider.preset_info(), provider.base_url, provider)

    @property
    def env_key(self) -> str:
        """The environment variable its key is read from (see :func:`key_variable`)."""
        return key_variable(self.id, self.info)

    @property
    def needs_key(self) -> bool:
        """True for the cloud presets, which always need one.

        Servers on the user's own machine usually don't, and a Custom address may or may not:
        it is tried without one, and a refusal is reported as such.
        """
        return not self.info.local and self.info.id != "custom"


def identify(
    name: str, store: ProviderStore | None = None
) -> tuple[Provider | None, ProviderPreset]:
    """The configured provider with this id (or None) and its preset; configured ids win.

    Raises:
        UnknownProvider: Neither a configured provider nor a preset has this id.
    """
    store = store if store is not None else ProviderStore()
    try:
        configured = store.get(name)
        return configured, configured.preset_info()
    except KeyError:
        pass
    try:
        return None, preset(name)
    except KeyError:
        known = list(dict.fromkeys([*(p.id for p in store.providers()), *(p.id for p in PRESETS)]))
        raise UnknownProvider(
            translate("core.cloud", "no provider named {name} (try one of: {known})").format(
                name=repr(name), known=", ".join(known)
            )
        ) from None


def resolve(
    name: str,
    base_url: str | None = None,
    *,
    store: ProviderStore | None = None,
    environ: Mapping[str, str] | None = None,
) -> Target:
    """The provider to talk to, by configured id or preset id (see the module docstring).

    Raises:
        UnknownProvider: No provider has this name.
        AddressNeeded: Custom, used as a preset, without an address.
        ResolveError: An unusable address (given, or in ``OPENAI_BASE_URL``).
    """
    environ = os.environ if environ is None else environ
    configured, info = identify(name, store)
    label = configured.name if configured else preset_name(info)
    pid = configured.id if configured else info.id
    env_url = (environ.get("OPENAI_BASE_URL") or "").strip() if info.id == "openai" else ""
    try:
        if base_url:
            url = normalize_base_url(base_url)
        elif configured is not None and configured.base_url != info.base_url:
            url = configured.base_url
        elif env_url:
            try:
                url = normalize_base_url(env_url)
            except ProviderError as exc:
                raise ResolveError(
                    translate(
                        "core.cloud", "OPENAI_BASE_URL is set to an unusable value: {reason}"
                    ).format(reason=exc)
                ) from None
        elif configured is not None:
            url = configured.base_url
        elif info.base_url:
            url = info.base_url
        else:
            raise AddressNeeded(preset_name(info))
    except ProviderError as exc:
        raise ResolveError(str(exc)) from None
    return Target(pid, label, info, url, configured)


def key_for(target: Target, keys: KeyStore) -> str | None:
    """The target's key (environment, keychain, opt-in file), read now; blocking.

    Raises:
        KeyNeeded: A cloud service has no key anywhere.
        KeyStoreError: The key file is damaged or readable by others.
    """
    key = keys.get(target.id, env_key=target.env_key)
    if key is None and target.needs_key:
        raise KeyNeeded(
            translate(
                "core.cloud", "no API key for {provider}: set {variable} or add the key in Settings"
            ).format(provider=target.name, variable=target.env_key)
        )
    return key


def open_backend(
    target: Target, model: str, *, key: str | None, price: Price | None = None
) -> CloudBackend:
    """A backend for this target and model; each reply it saves names the target as source.

    Never raises: an unusable address is reported when the backend is used.
    """
    from workbench.core.cloud.backend import CloudBackend

    backend = CloudBackend(
        base_url=target.base_url,
        api_key=key,
        model=model,
        provider_name=target.name,
        provider_id=target.id,
        price=price,
        extra_sampling=target.info.extra_sampling,
    )
    backend.source = target.id  # stored with each reply, as "local" is for a model loaded here
    return backend
