"""Built-in prompt formats for model files without a chat template, and how one is chosen.

A GGUF file usually carries its own chat template; some do not (older conversions, or files
repackaged without one), and llama-cpp-python's fallback (the Llama 2 format) then makes most
models answer with nothing. Each built-in format here is a Jinja template in the style of its
family's own ``tokenizer_config.json`` template, rendered by the same sandboxed formatter as a
file's template, with the stop strings its turns end with.

Which one fits is read from the file, strongest evidence first: the vocabulary's special tokens
(a vocabulary with ``<start_of_turn>`` was trained on Gemma's format), then the architecture, then
the model's name; without any sign, a plain instruction format.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.core.i18n import QT_TRANSLATE_NOOP, translate

AUTO = "auto"
CUSTOM = "custom"
#: the format name that stands for "the file's own chat template"
FILE = "file"


@dataclass(frozen=True)
class ChatFormat:
    """One built-in prompt format."""

    name: str
    label: str
    template: str
    stops: tuple[str, ...]


def _fmt(name: str, label: str, stops: Sequence[str], *parts: str) -> ChatFormat:
    return ChatFormat(name, label, "".join(parts), tuple(stops))


# The templates are written with {%- -%} throughout so that the formatter's trim_blocks and
# lstrip_blocks change nothing: what a template outputs is exactly what its {{ }} say.
_SYSTEM_FIRST = (
    "{%- if messages and messages[0]['role'] == 'system' -%}"
    "{%- set system = messages[0]['content'] -%}{%- set turns = messages[1:] -%}"
    "{%- else -%}{%- set system = '' -%}{%- set turns = messages -%}{%- endif -%}"
)

_FORMATS = (
    _fmt(
        "gemma",
        "Gemma",
        ["<end_of_turn>"],
        "{{ bos_token }}",
        _SYSTEM_FIRST,
        "{%- for m in turns -%}",
        "{%- set role = 'model' if m['role'] == 'assistant' else m['role'] -%}",
        "{{ '<start_of_turn>' + role + '\\n' }}",
        "{%- if loop.first and system -%}{{ system + '\\n\\n' }}{%- endif -%}",
        "{{ m['content'] | trim + '<end_of_turn>\\n' }}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}",
    ),
    _fmt(
        "llama3",
        "Llama 3",
        ["<|eot_id|>"],
        "{{ bos_token }}",
        "{%- for m in messages -%}",
        "{{ '<|start_header_id|>' + m['role'] + '<|end_header_id|>\\n\\n' }}",
        "{{ m['content'] | trim + '<|eot_id|>' }}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}",
        "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}",
        "{%- endif -%}",
    ),
    _fmt(
        "chatml",
        "ChatML",
        ["<|im_end|>"],
        "{%- for m in messages -%}",
        "{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>\\n' }}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}",
    ),
    _fmt(
        "phi3",
        "Phi-3",
        ["<|end|>", "<|endoftext|>"],
        "{%- for m in messages -%}",
        "{{ '<|' + m['role'] + '|>\\n' + m['content'] + '<|end|>\\n' }}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<|assistant|>\\n' }}{%- endif -%}",
    ),
    _fmt(
        "phi4",
        "Phi-4",
        ["<|im_end|>"],
        "{%- for m in messages -%}",
        "{{ '<|im_start|>' + m['role'] + '<|im_sep|>' + m['content'] + '<|im_end|>' }}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant<|im_sep|>' }}{%- endif -%}",
    ),
    _fmt(
        "mistral",
        "Mistral",
        ["[INST]"],
        "{{ bos_token }}",
        _SYSTEM_FIRST,
        "{%- for m in turns -%}",
        "{%- if m['role'] == 'user' -%}",
        "{{ '[INST] ' }}{%- if loop.first and system -%}{{ system + '\\n\\n' }}{%- endif -%}",
        "{{ m['content'] + ' [/INST]' }}",
        "{%- elif m['role'] == 'assistant' -%}{{ ' ' + m['content'] + eos_token }}",
        "{%- endif -%}",
        "{%- endfor -%}",
    ),
    _fmt(
        "deepseek",
        "DeepSeek",
        ["<｜end▁of▁sentence｜>"],
        "{{ bos_token }}",
        "{%- for m in messages if m['role'] == 'system' -%}{{ m['content'] }}{%- endfor -%}",
        "{%- for m in messages -%}",
        "{%- if m['role'] == 'user' -%}{{ '<｜User｜>' + m['content'] }}",
        "{%- elif m['role'] == 'assistant' -%}",
        "{{ '<｜Assistant｜>' + m['content'] + '<｜end▁of▁sentence｜>' }}",
        "{%- endif -%}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '<｜Assistant｜>' }}{%- endif -%}",
    ),
    _fmt(
        "llama2",
        "Llama 2",
        ["[INST]"],
        _SYSTEM_FIRST,
        "{%- for m in turns -%}",
        "{%- if m['role'] == 'user' -%}",
        "{{ bos_token + '[INST] ' }}",
        "{%- if loop.first and system -%}",
        "{{ '<<SYS>>\\n' + system + '\\n<</SYS>>\\n\\n' }}",
        "{%- endif -%}",
        "{{ m['content'] | trim + ' [/INST]' }}",
        "{%- elif m['role'] == 'assistant' -%}{{ ' ' + m['content'] | trim + ' ' + eos_token }}",
        "{%- endif -%}",
        "{%- endfor -%}",
    ),
    _fmt(
        "alpaca",
        "Alpaca",
        ["### Instruction:", "\n### "],
        "{{ bos_token }}",
        _SYSTEM_FIRST,
        "{%- if system -%}{{ system + '\\n\\n' }}{%- endif -%}",
        "{%- for m in turns -%}",
        "{%- if m['role'] == 'user' -%}{{ '### Instruction:\\n' + m['content'] + '\\n\\n' }}",
        "{%- elif m['role'] == 'assistant' -%}{{ '### Response:\\n' + m['content'] + '\\n\\n' }}",
        "{%- endif -%}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}{{ '### Response:\\n' }}{%- endif -%}",
    ),
)

#: the built-in formats by name, in the order a picker offers them
FORMATS: dict[str, ChatFormat] = {f.name: f for f in _FORMATS}
#: every value of ``LoadOptions.chat_format``
CHOICES: tuple[str, ...] = (AUTO, *FORMATS, CUSTOM)

# Vocabulary entries that only a model trained on one format has, strongest first: a Phi-4 or
# DeepSeek-R1-distilled vocabulary also holds ChatML's tokens, so those are looked at before.
_MARKERS: tuple[tuple[str, str], ...] = (
    ("<start_of_turn>", "gemma"),
    ("<|start_header_id|>", "llama3"),
    ("<｜User｜>", "deepseek"),
    ("<｜Assistant｜>", "deepseek"),
    ("<|im_sep|>", "phi4"),
    ("<|im_start|>", "chatml"),
    ("<|assistant|>", "phi3"),
    ("[INST]", "mistral"),
)
#: the tokens the GGUF header reader looks for in a vocabulary (see core/gguf_file.py)
MARKER_TOKENS: frozenset[str] = frozenset(token for token, _ in _MARKERS)

_ARCHITECTURES = {
    "gemma": "gemma",
    "gemma2": "gemma",
    "gemma3": "gemma",
    "gemma3n": "gemma",
    "qwen": "chatml",
    "qwen2": "chatml",
    "qwen2moe": "chatml",
    "qwen3": "chatml",
    "qwen3moe": "chatml",
    "smollm3": "chatml",
    "internlm2": "chatml",
    "phi3": "phi3",
    "deepseek": "deepseek",
    "deepseek2": "deepseek",
}

# Words in a model's name (lower case, "-" for spaces and "_"), most specific first.
_NAMES: tuple[tuple[str, str], ...] = (
    ("deepseek", "deepseek"),
    ("gemma", "gemma"),
    ("llama-3", "llama3"),
    ("llama3", "llama3"),
    ("llama-2", "llama2"),
    ("llama2", "llama2"),
    ("phi-4-mini", "phi3"),
    ("phi-4", "phi4"),
    ("phi4", "phi4"),
    ("phi-3", "phi3"),
    ("phi3", "phi3"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("ministral", "mistral"),
    ("qwen", "chatml"),
    ("smollm", "chatml"),
    ("hermes", "chatml"),
    ("dolphin", "chatml"),
    ("yi-", "chatml"),
)

FALLBACK = "alpaca"

# Why a format was chosen: the keys of Choice.evidence, and what each says.
_EVIDENCE = {
    FILE: QT_TRANSLATE_NOOP("core.local.formats", "the file's own template"),
    "chosen": QT_TRANSLATE_NOOP("core.local.formats", "{label} format, as chosen"),
    CUSTOM: QT_TRANSLATE_NOOP("core.local.formats", "your own template"),
    "vocabulary": QT_TRANSLATE_NOOP(
        "core.local.formats", "{label} format, chosen from the model's vocabulary"
    ),
    "architecture": QT_TRANSLATE_NOOP(
        "core.local.formats", "{label} format, chosen from the model's architecture"
    ),
    "name": QT_TRANSLATE_NOOP("core.local.formats", "{label} format, chosen from the model's name"),
    "fallback": QT_TRANSLATE_NOOP(
        "core.local.formats", "{label} format, as nothing in the file names its format"
    ),
}


@dataclass(frozen=True)
class Choice:
    """The prompt format a load uses, and why.

    ``format`` is :data:`FILE`, a built-in name or :data:`CUSTOM`; ``evidence`` one of
    "file", "chosen", "custom", "vocabulary", "architecture", "name", "fallback";
    ``template`` the Jinja text to render ("" for the file's own).
    """

    format: str
    evidence: str
    template: str = ""
    stops: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The format's name for people ("ChatML"), "" for the file's or a custom template."""
        known = FORMATS.get(self.format)
        return known.label if known else ""

    def describe(self) -> str:
        """One phrase: "ChatML format, chosen from the model's vocabulary"."""
        return translate("core.local.formats", _EVIDENCE[self.evidence]).format(label=self.label)


def detect(
    *,
    architecture: str | None,
    name: str | None,
    file_name: str | None = None,
    tokens: Iterable[str] = (),
) -> tuple[str, str]:
    """The built-in format that fits a model, and the evidence: (name, evidence)."""
    have = set(tokens) & MARKER_TOKENS
    for token, fmt in _MARKERS:
        if token in have:
            return fmt, "vocabulary"
    if architecture and architecture.lower() in _ARCHITECTURES:
        return _ARCHITECTURES[architecture.lower()], "architecture"
    for text in (name, file_name):
        words = (text or "").lower().replace("_", "-").replace(" ", "-")
        for word, fmt in _NAMES:
            if word in words:
                return fmt, "name"
    return FALLBACK, "fallback"


def choose(
    chat_format: str,
    chat_template: str = "",
    *,
    has_template: bool,
    architecture: str | None = None,
    name: str | None = None,
    file_name: str | None = None,
    tokens: Iterable[str] = (),
) -> Choice:
    """The format a load uses: the file's template when it has one and the choice is
    :data:`AUTO`, else the chosen built-in, the pasted template, or the detected built-in."""
    if chat_format == CUSTOM:
        return Choice(CUSTOM, CUSTOM, chat_template)
    if chat_format in FORMATS:
        fmt = FORMATS[chat_format]
        return Choice(fmt.name, "chosen", fmt.template, fmt.stops)
    if has_template:
        return Choice(FILE, FILE)
    found, evidence = detect(
        architecture=architecture, name=name, file_name=file_name, tokens=tokens
    )
    fmt = FORMATS[found]
    return Choice(found, evidence, fmt.template, fmt.stops)


# -- pasted templates ------------------------------------------------------------------------

_SAMPLE = [
    {"role": "system", "content": "You are helpful."},
    {"role": "user", "content": "Hello"},
    {"role": "assistant", "content": "Hi"},
    {"role": "user", "content": "How are you?"},
]


class TemplateError(ValueError):
    """A pasted chat template that cannot be used; ``str()`` is one sentence."""


def check_template(text: str) -> None:
    """Parse ``text`` and render a sample conversation with it, as the formatter would.

    Raises:
        TemplateError: Empty, a syntax error (with its line), or an error while rendering.
    """
    import jinja2
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    if not text.strip():
        raise TemplateError(
            translate("core.local.formats", "Paste a chat template for the custom prompt format.")
        )

    class _GenerationTag(jinja2.ext.Extension):
        # Transformers' {% generation %} marks; the model's formatter passes them through too.
        tags = frozenset({"generation"})

        def parse(self, parser):  # type: ignore[no-untyped-def]
            parser.stream.skip(1)
            return parser.parse_statements(("name:endgeneration",), drop_needle=True)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[_GenerationTag, jinja2.ext.loopcontrols],
    )
    try:
        template = env.from_string(text)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            translate(
                "core.local.formats", "The chat template has an error on line {line}: {error}."
            ).format(line=exc.lineno, error=exc.message)
        ) from None

    def raise_exception(message: str) -> None:
        raise TemplateError(
            translate(
                "core.local.formats", "The chat template refuses a sample conversation: {reason}."
            ).format(reason=message)
        )

    try:
        prompt = template.render(
            messages=_SAMPLE,
            bos_token="<s>",
            eos_token="</s>",
            add_generation_prompt=True,
            raise_exception=raise_exception,
            strftime_now=lambda fmt: "",
        )
    except TemplateError:
        raise
    except Exception as exc:  # whatever a template's own code raises, e.g. an undefined name
        raise TemplateError(
            translate(
                "core.local.formats", "The chat template failed on a sample conversation: {error}."
            ).format(error=exc or type(exc).__name__)
        ) from None
    if not prompt.strip():
        raise TemplateError(
            translate(
                "core.local.formats",
                "The chat template gives an empty prompt for a sample conversation.",
            )
        )
