"""OpenAI-compatible providers: the presets Workbench knows and the ones the user configured.

A *preset* is a known service (its base URL, where to get a key, which environment variable the
service's own tools read the key from). A *provider* is one the user added, possibly several of
the same preset (two OpenAI accounts, two vLLM servers), each with its own id and key.

The configured providers live in ``providers.json`` in the data folder, which the window and the
command line both write: every change is applied to the file as it is at that moment, under its
lock (:meth:`JsonFile.update`). Keys are never stored there: they belong to
:class:`workbench.core.keys.KeyStore`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workbench.core import paths
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.state import JsonFile


@dataclass(frozen=True)
class ProviderPreset:
    """A known OpenAI-compatible service.

    Attributes:
        local: Runs on the user's machine or network, so a key is usually not needed and
            replies cost nothing.
        env_key: The environment variable the service's own tools read the key from.
        key_url: Where the user creates a key.
        suggested_models: Offered for manual entry when the model list cannot be fetched;
            the first is the preset's default model.
        extra_sampling: Accepts llama.cpp's ``top_k``, ``min_p`` and ``repeat_penalty``.
    """

    id: str
    name: str
    base_url: str
    local: bool
    env_key: str | None
    key_url: str | None
    suggested_models: tuple[str, ...] = ()
    extra_sampling: bool = False

    @property
    def default_model(self) -> str | None:
        """The model a new provider of this preset starts on (its first suggestion)."""
        return self.suggested_models[0] if self.suggested_models else None


PRESETS: tuple[ProviderPreset, ...] = (
    ProviderPreset(
        "openai",
        "OpenAI",
        "https://api.openai.com/v1",
        False,
        "OPENAI_API_KEY",
        "https://platform.openai.com/api-keys",
        ("gpt-4o-mini", "gpt-4o", "gpt-4.1", "gpt-4.1-mini", "o4-mini", "gpt-5", "gpt-5-mini"),
    ),
    ProviderPreset(
        "deepseek",
        "DeepSeek",
        "https://api.deepseek.com/v1",
        False,
        "DEEPSEEK_API_KEY",
        "https://platform.deepseek.com/api_keys",
        ("deepseek-chat", "deepseek-reasoner"),
    ),
    # The mainland endpoint; accounts outside China use
    # https://dashscope-intl.aliyuncs.com/compatible-mode/v1 (the user edits the base URL).
    ProviderPreset(
        "qwen",
        "Qwen (DashScope)",
        "https://dashscope.aliyuncs.com/compatible-mode/v1",
        False,
        "DASHSCOPE_API_KEY",
        "https://dashscope.console.aliyun.com/apiKey",
        ("qwen-plus", "qwen-max", "qwen-turbo"),
    ),
    ProviderPreset(
        "moonshot",
        "Moonshot (Kimi)",
        "https://api.moonshot.cn/v1",
        False,
        "MOONSHOT_API_KEY",
        "https://platform.moonshot.cn/console/api-keys",
        ("moonshot-v1-8k", "moonshot-v1-32k", "moonshot-v1-128k"),
    ),
    ProviderPreset(
        "zhipu",
        "Zhipu GLM",
        "https://open.bigmodel.cn/api/paas/v4",
        False,
        "ZHIPUAI_API_KEY",
        "https://open.bigmodel.cn/usercenter/apikeys",
        ("glm-4-plus", "glm-4-flash", "glm-4.5", "glm-4.5-air"),
    ),
    ProviderPreset(
        "openrouter",
        "OpenRouter",
        "https://openrouter.ai/api/v1",
        False,
        "OPENROUTER_API_KEY",
        "https://openrouter.ai/settings/keys",
        ("openai/gpt-4o-mini", "deepseek/deepseek-chat", "meta-llama/llama-3.3-70b-instruct"),
    ),
    ProviderPreset(
        "groq",
        "Groq",
        "https://api.groq.com/openai/v1",
        False,
        "GROQ_API_KEY",
        "https://console.groq.com/keys",
        ("llama-3.3-70b-versatile", "llama-3.1-8b-instant"),
    ),
    ProviderPreset(
        "mistral",
        "Mistral",
        "https://api.mistral.ai/v1",
        False,
        "MISTRAL_API_KEY",
        "https://console.mistral.ai/api-keys",
        ("mistral-small-latest", "mistral-large-latest"),
    ),
    ProviderPreset(
        "together",
        "Together",
        "https://api.together.xyz/v1",
        False,
        "TOGETHER_API_KEY",
        "https://api.together.ai/settings/api-keys",
        ("meta-llama/Llama-3.3-70B-Instruct-Turbo",),
    ),
    ProviderPreset("ollama", "Ollama", "http://localhost:11434/v1", True, None, None, (), True),
    ProviderPreset("lmstudio", "LM Studio", "http://localhost:1234/v1", True, None, None, (), True),
    ProviderPreset("vllm", "vLLM", "http://localhost:8000/v1", True, None, None, (), True),
    ProviderPreset(
        "llamacpp", "llama.cpp server", "http://localhost:8080/v1", True, None, None, (), True
    ),
    # Any base URL: it may be a server on the desk or a paid service, so a key is optional.
    ProviderPreset("custom", QT_TRANSLATE_NOOP("core.cloud", "Custom"), "", False, None, None),
)

_BY_ID = {p.id: p for p in PRESETS}


# Models a /models list offers that cannot chat (embeddings, speech, images, moderation): a
# picker never starts on one of them, whatever their place in the alphabet.
_NOT_CHAT = re.compile(
    r"embed|minilm|bge-|rerank|whisper|tts|speech|transcri|dall-e|image|moderation|audio|"
    r"realtime|babbage|davinci",
    re.IGNORECASE,
)


def can_chat(model: str) -> bool:
    """False for a model id that names an embedding, speech, image or moderation model."""
    return not _NOT_CHAT.search(model)


def key_variable(provider_id: str, info: ProviderPreset | None = None) -> str:
    """The environment variable a provider's key is read from.

    A preset's own (``OPENAI_API_KEY``, ``DEEPSEEK_API_KEY``…), as its service's tools read it;
    a provider without one (Custom, a server on the desk) gets its own, from its id:
    ``my-vllm`` → ``WORKBENCH_MY_VLLM_API_KEY``, so two of them never share a key.
    """
    if info is not None and info.env_key:
        return info.env_key
    slug = re.sub(r"[^A-Z0-9]+", "_", provider_id.upper()).strip("_") or "PROVIDER"
    return f"WORKBENCH_{slug}_API_KEY"


def preset(preset_id: str) -> ProviderPreset:
    """The preset with this id.

    Raises:
        KeyError: No preset has this id.
    """
    return _BY_ID[preset_id]


def preset_name(info: ProviderPreset) -> str:
    """A preset's name on screen: the service's own name, or "Custom" in the user's language."""
    return translate("core.cloud", info.name) if info.id == "custom" else info.name


class ProviderError(ValueError):
    """A provider setting the user typed is unusable; str() is one plain sentence."""


def normalize_base_url(url: str) -> str:
    """The base URL without trailing slashes; the path (``/v1``) is kept as typed.

    Raises:
        ProviderError: Not an http(s) address, or it carries a user name, password, query or
            fragment.
    """
    text = (url or "").strip()
    if not text:
        raise ProviderError(
            translate(
                "core.cloud",
                "The base URL is empty; enter the service's address, like "
                "https://api.openai.com/v1.",
            )
        )
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        # "localhost:8000/v1" parses with "localhost" as the scheme: name the likely fix.
        if "://" not in text:
            raise ProviderError(
                translate(
                    "core.cloud",
                    "“{text}” has no http:// or https:// in front; write it as {fixed} (or "
                    "https:// for a remote service).",
                ).format(text=text, fixed="http://" + text.rstrip("/"))
            )
        raise ProviderError(
            translate(
                "core.cloud",
                "“{text}” is not a web address; the base URL must start with http:// or https://.",
            ).format(text=text)
        )
    if not parts.hostname:
        raise ProviderError(
            translate("core.cloud", "“{text}” has no server name after {scheme}.").format(
                text=text, scheme=f"{parts.scheme}://"
            )
        )
    if parts.username or parts.password:
        # A password in the URL would end up in providers.json; keys go in the key field.
        raise ProviderError(
            translate(
                "core.cloud",
                "The base URL must not contain a user name or password; enter the API key in its "
                "own field.",
            )
        )
    if parts.query or parts.fragment:
        raise ProviderError(translate("core.cloud", "The base URL must not contain “?” or “#”."))
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ProviderError(
            translate("core.cloud", "“{text}” has a port that is not a number.").format(text=text)
        ) from None
    return text.rstrip("/")


@dataclass
class Provider:
    """A provider the user configured.

    Attributes:
        id: Unique slug, used on the command line and to name its key.
        preset: The id of the preset it was made from.
        models: Model ids from the last successful ``/models`` request.
        manual_models: Model ids the user typed in.
        model: The model chosen last.
    """

    id: str
    name: str
    preset: str
    base_url: str
    models: list[str] = field(default_factory=list)
    manual_models: list[str] = field(default_factory=list)
    model: str | None = None
    # The entry as read from the file: ProviderStore.update writes only the fields changed
    # since, so another process's change to the other fields stays. None: save it whole.
    _saved: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def all_models(self) -> list[str]:
        """Fetched and typed-in model ids, without duplicates, fetched first."""
        return list(dict.fromkeys([*self.models, *self.manual_models]))

    def starting_model(self) -> str:
        """The model a picker starts on ("" when nothing is known).

        The one used last; else the preset's default when the list has it (or lists nothing);
        else the first listed model that can chat; never merely the first in the alphabet.
        """
        if self.model:
            return self.model
        names = self.all_models()
        default = self.preset_info().default_model
        if default and (not names or default in names):
            return default
        chat = [n for n in names if can_chat(n)]
        return (chat or names or [""])[0]

    @property
    def key_variable(self) -> str:
        """The environment variable this provider's key is read from (see :func:`key_variable`)."""
        return key_variable(self.id, self.preset_info())

    def preset_info(self) -> ProviderPreset:
        """This provider's preset (Custom when the saved preset id is no longer known)."""
        return _BY_ID.get(self.preset, _BY_ID["custom"])

    def to_dict(self) -> dict[str, Any]:
        """The entry as saved in ``providers.json`` (lists copied)."""
        out = {}
        for f in fields(self):
            if f.init:
                value = getattr(self, f.name)
                out[f.name] = list(value) if isinstance(value, list) else value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Provider | None:
        """A provider from saved JSON, or None when the entry is unusable."""
        try:
            pid, name, base_url = data["id"], data["name"], data["base_url"]
        except (KeyError, TypeError):
            return None
        if not all(isinstance(v, str) and v for v in (pid, name, base_url)):
            return None
        preset_id = data.get("preset")
        model = data.get("model")
        provider = cls(
            id=pid,
            name=name,
            preset=preset_id if isinstance(preset_id, str) and preset_id in _BY_ID else "custom",
            base_url=base_url,
            models=_strings(data.get("models")),
            manual_models=_strings(data.get("manual_models")),
            model=model if isinstance(model, str) and model else None,
        )
        provider._saved = provider.to_dict()
        return provider

    def merged_into(self, current: Provider) -> Provider:
        """``current`` (the entry in the file now) with the fields this copy changed since it
        was read; this copy whole when it was not read from the file."""
        mine = self.to_dict()
        if self._saved is None:
            return Provider.from_dict(mine) or self
        theirs = current.to_dict()
        for key, value in mine.items():
            if value != self._saved.get(key):
                theirs[key] = value
        return Provider.from_dict(theirs) or self

    def refresh_from(self, saved: Provider) -> None:
        """Take the fields of ``saved`` (what was written) into this copy."""
        for key, value in saved.to_dict().items():
            setattr(self, key, value)
        self._saved = saved.to_dict()


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v]


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single dashes ("My vLLM #2" → "my-vllm-2")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class ProviderStore:
    """The configured providers, in ``providers.json``; never holds keys.

    Every call reads the file afresh, so the window and the command line see each other's
    changes, and every change is made to the file as it is then, under its lock, so neither
    undoes the other's.
    """

    def __init__(self, path: Path | None = None, *, keys=None) -> None:
        """Open the store.

        Args:
            path: The JSON file (default: ``providers.json`` in the data folder).
            keys: The :class:`~workbench.core.keys.KeyStore` that ``remove`` deletes keys from
                (default: one in the same folder as ``path``).
        """
        self.path = path if path is not None else paths.data_dir() / "providers.json"
        self._file = JsonFile(self.path)
        self._keys = keys

    def _load(self) -> list[Provider]:
        return self._parse(self._file.load())

    @staticmethod
    def _parse(data: dict[str, Any]) -> list[Provider]:
        raw = data.get("providers")
        out: list[Provider] = []
        seen: set[str] = set()
        for entry in raw if isinstance(raw, list) else []:
            provider = Provider.from_dict(entry) if isinstance(entry, dict) else None
            if provider is not None and provider.id not in seen:
                seen.add(provider.id)
                out.append(provider)
        return out

    def _change(self, change: Callable[[list[Provider]], list[Provider]]) -> list[Provider]:
        """Apply ``change`` (list of providers → list of providers) to the file as it is now,
        under its lock; returns the providers written. Nothing is written when it raises."""

        def apply(data: dict[str, Any]) -> dict[str, Any]:
            providers = change(self._parse(data))
            return {**data, "version": 1, "providers": [p.to_dict() for p in providers]}

        return self._parse(self._file.update(apply))

    def providers(self) -> list[Provider]:
        """The configured providers, in the order they were added."""
        return self._load()

    def get(self, provider_id: str) -> Provider:
        """The provider with this id.

        Raises:
            KeyError: No such provider is configured.
        """
        for provider in self._load():
            if provider.id == provider_id:
                return provider
        raise KeyError(provider_id)

    def add(
        self, preset_id: str, *, name: str | None = None, base_url: str | None = None
    ) -> Provider:
        """Configure a new provider from a preset and return it.

        The id comes from the name the user gave, else the preset id, made unique with a
        number (``openai``, ``openai-2``, …).

        Raises:
            KeyError: Unknown preset.
            ProviderError: An unusable base URL or name, or Custom without a base URL.
        """
        info = preset(preset_id)
        if base_url is None or not base_url.strip():
            if not info.base_url:
                raise ProviderError(
                    translate(
                        "core.cloud", "{provider} needs a base URL, like http://localhost:8000/v1."
                    ).format(provider=preset_name(info))
                )
            url = info.base_url
        else:
            url = normalize_base_url(base_url)
        label = (name or "").strip() or preset_name(info)
        base = (slugify(name) if name else "") or info.id
        added: list[Provider] = []

        def change(providers: list[Provider]) -> list[Provider]:
            # The id is chosen under the lock: a provider another process just added counts.
            taken = {p.id for p in providers}
            new_id, n = base, 1
            while new_id in taken:
                n += 1
                new_id = f"{base}-{n}"
            added.append(Provider(id=new_id, name=label, preset=info.id, base_url=url))
            return [*providers, added[0]]

        written = self._change(change)
        return next(p for p in written if p.id == added[0].id)

    def update(self, provider: Provider) -> None:
        """Save changes to a configured provider (matched by id).

        Only the fields changed since ``provider`` was read are written (all of them for a
        provider made in code), so another process's change to the others stays; ``provider``
        then holds what was saved.

        Raises:
            KeyError: No such provider is configured.
            ProviderError: An empty name or an unusable base URL.
        """
        if not provider.name.strip():
            raise ProviderError(translate("core.cloud", "The provider needs a name."))
        provider.base_url = normalize_base_url(provider.base_url)

        def change(providers: list[Provider]) -> list[Provider]:
            for i, existing in enumerate(providers):
                if existing.id == provider.id:
                    providers[i] = provider.merged_into(existing)
                    return providers
            raise KeyError(provider.id)

        written = self._change(change)
        provider.refresh_from(next(p for p in written if p.id == provider.id))

    def remove(self, provider_id: str) -> None:
        """Forget a provider and delete its stored key.

        The key goes first: if the keychain refuses, the provider stays, so a later provider
        with the same id cannot silently inherit the old key.

        Raises:
            KeyError: No such provider is configured.
            KeyStoreError: The keychain failed while deleting the key.
        """
        if not any(p.id == provider_id for p in self._load()):
            raise KeyError(provider_id)
        self._key_store().delete(provider_id)
        self._change(lambda providers: [p for p in providers if p.id != provider_id])

    def _key_store(self):
        if self._keys is None:
            from workbench.core.keys import KeyStore

            self._keys = KeyStore(self.path.parent)
        return self._keys
