"""Blind comparison: letters instead of names, and answers that don't say who wrote them.

Before the vote a blind pane shows only its letter. The answer itself may give the model away
("As ChatGPT, I…", "我是通义千问"), so :func:`redact` hides every name that could identify a
target in the text, the reasoning and error messages: the targets' own provider and model names
and the parts of them, and the names of well-known model families and their makers. The stored
text is never changed; the names come back when the vote reveals who was who.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.core.compare.targets import TargetSpec

MASK = "▇▇▇"

# Model families and their makers, in the forms models name themselves.
KNOWN_NAMES = (
    "OpenAI", "ChatGPT", "GPT", "o1", "o3", "o4", "Claude", "Anthropic", "Gemini", "Gemma",
    "Bard", "Google", "DeepMind", "Llama", "LLaMA", "Meta", "Qwen", "Tongyi", "通义千问", "通义",
    "千问", "Alibaba", "阿里巴巴", "阿里云", "DeepSeek", "深度求索", "Mistral", "Mixtral",
    "Codestral", "Phi", "Microsoft", "Copilot", "SmolLM", "Hugging Face", "HuggingFace",
    "HuggingFaceTB", "Kimi", "Moonshot", "月之暗面", "GLM", "ChatGLM", "Zhipu", "智谱", "智谱清言",
    "Yi", "01.AI", "零一万物", "Baichuan", "百川", "MiniMax", "abab", "Grok", "xAI", "Cohere",
    "Command R", "Falcon", "InternLM", "书生", "ERNIE", "文心一言", "文心", "Doubao", "豆包",
    "Hunyuan", "混元", "Spark", "讯飞星火", "星火", "Nemotron", "NVIDIA", "Granite", "IBM",
    "OLMo", "StarCoder", "Vicuna", "Zephyr", "TinyLlama", "Ollama", "LM Studio", "llama.cpp",
    "vLLM", "OpenRouter", "Groq", "Together",
)  # fmt: skip

# Parts of file and model names that say nothing about who made the model.
_GENERIC = {
    "gguf", "instruct", "chat", "base", "model", "models", "latest", "preview", "mini", "small",
    "medium", "large", "turbo", "pro", "plus", "max", "flash", "lite", "it", "hf", "fp16",
    "bf16", "f16", "f32", "local", "custom", "coder", "vision", "online", "beta", "alpha",
    "fast", "free", "think", "thinking", "reasoner", "reasoning", "v1", "v2", "v3",
}  # fmt: skip
_QUANT = re.compile(r"^(i?q\d.*|[bf]p?\d+|\d+(\.\d+)?[bmk]|\d+x\d+b?|k_[sml]|\d+)$", re.IGNORECASE)


def letters(count: int) -> list[str]:
    """``["A", "B", …]``."""
    return [chr(ord("A") + i) for i in range(count)]


def shuffled(items: Sequence[int], rng: random.Random | None = None) -> list[int]:
    order = list(items)
    (rng or random.SystemRandom()).shuffle(order)
    return order


def _parts(name: str) -> list[str]:
    pieces = [p for p in re.split(r"[\s/:_\-.@]+", name) if p]
    return [p for p in pieces if p.casefold() not in _GENERIC and not _QUANT.match(p)]


def target_terms(spec: TargetSpec, provider_name: str | None = None) -> list[str]:
    """The words that would identify this target: names, model id, file name and their parts."""
    terms: list[str] = []
    if spec.is_local:
        path = Path(spec.model)
        stem = path.name[: -len(".gguf")] if path.name.lower().endswith(".gguf") else path.stem
        terms += [path.name, stem, *_parts(stem)]
    else:
        terms += [spec.provider, spec.model, spec.model.rsplit("/", 1)[-1], *_parts(spec.model)]
        if provider_name:
            terms += [provider_name, *_parts(provider_name)]
    return terms


def identifying_terms(
    specs: Iterable[TargetSpec], provider_names: dict[str, str] | None = None
) -> list[str]:
    """Every term to hide for a set of targets, longest first, with :data:`KNOWN_NAMES`."""
    names = provider_names or {}
    terms: dict[str, str] = {}
    for spec in specs:
        for t in target_terms(spec, names.get(spec.provider)):
            t = t.strip()
            if len(t) >= 2 and t.casefold() not in _GENERIC:
                terms.setdefault(t.casefold(), t)
    for t in KNOWN_NAMES:
        terms.setdefault(t.casefold(), t)
    return sorted(terms.values(), key=len, reverse=True)


def _trie(terms: Iterable[str]) -> str:
    """One regex matching any of ``terms`` (lower case), factored by common prefixes.

    Python's ``re`` tries each branch of ``a|b|c…`` at every position; with a hundred names that
    made masking a 7 KB answer take about 9 ms. A prefix tree tries one branch per letter. The
    longer of two names sharing a prefix is tried first ("gpt-4o" before "gpt").
    """
    root: dict = {}
    for term in terms:
        node = root
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
        return body

    return emit(root)


def redactor(terms: Sequence[str]) -> re.Pattern[str]:
    """One pattern for all ``terms``: case-insensitive; Latin terms only as whole words
    (so "Yi" does not hit "Yield"), CJK terms anywhere (Chinese has no spaces)."""
    latin = {t.casefold() for t in terms if t.isascii() and t}
    other = {t.casefold() for t in terms if not t.isascii() and t}
    alternatives = []
    if latin:
        # A version glued on goes too: "GPT-4o", "Phi-3.5", "Qwen2.5".
        alternatives.append(rf"(?<![0-9A-Za-z]){_trie(latin)}(?:[-\s]?\d[\w.]*)?(?![A-Za-z])")
    if other:
        alternatives.append(_trie(other))
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def redact(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every identifying term replaced by :data:`MASK`."""
    return pattern.sub(MASK, text) if text else text
