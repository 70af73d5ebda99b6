"""A conversation as Markdown: a header with the title, models and figures, then the thread.

Only the thread on screen is written (other versions live in the JSON export). Messages are
written as they are stored, so code blocks come out intact; the model's reasoning is a
``<details>`` block that Markdown viewers show collapsed. The labels are in the user's language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from workbench.core.i18n import decimal, translate


def thread_of(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages from the first one down to ``current_leaf``, from a conversation dict."""
    by_id = {m["id"]: m for m in conversation["messages"]}
    thread = []
    node = by_id.get(conversation.get("current_leaf"))
    seen = set()
    while node is not None and node["id"] not in seen:
        seen.add(node["id"])
        thread.append(node)
        node = by_id.get(node["parent"])
    return thread[::-1]


def markdown(conversation: dict[str, Any]) -> str:
    """The Markdown text of one conversation dict (see :mod:`.export_json`)."""
    thread = thread_of(conversation)
    lines = [f"# {_one_line(conversation['title'])}", ""]
    replies = [m for m in thread if m["role"] == "assistant"]
    models = list(dict.fromkeys(m["model"] for m in replies if m["model"]))
    if not models and conversation.get("model"):
        models = [conversation["model"]]
    if models:
        lines.append(
            "- " + translate("core.exchange", "Models: {models}").format(models=", ".join(models))
        )
    lines.append(
        "- "
        + translate("core.exchange", "Started {created}, last changed {updated}").format(
            created=_when(conversation["created_at"]), updated=_when(conversation["updated_at"])
        )
    )
    prompt = sum(_int(m["stats"].get("prompt_tokens")) for m in replies)
    completion = sum(_int(m["stats"].get("completion_tokens")) for m in replies)
    lines.append(
        "- "
        + translate(
            "core.exchange",
            "Messages: {messages}; tokens written: {completion}; tokens read: {prompt}",
        ).format(messages=len(thread), completion=completion, prompt=prompt)
    )
    mark = conversation.get("imported")
    if isinstance(mark, dict) and mark.get("source") == "chatgpt":
        lines.append("- " + translate("core.exchange", "Imported from ChatGPT"))
    if conversation.get("system_prompt"):
        label = translate("core.exchange", "System prompt")
        lines += ["", f"**{label}**", ""]
        lines.append(_quote(conversation["system_prompt"]))
    for message in thread:
        lines += ["", "---", "", _heading(message), ""]
        if message["reasoning"].strip():
            summary = translate("core.exchange", "Reasoning")
            lines += [
                "<details>",
                f"<summary>{summary}</summary>",
                "",
                message["reasoning"].strip("\n"),
                "",
                "</details>",
                "",
            ]
        lines.append(message["content"].strip("\n"))
        figures = _figures(message)
        if figures:
            lines += ["", f"*{figures}*"]
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(message: dict[str, Any]) -> str:
    role = message["role"]
    if role == "user":
        return "## " + translate("core.exchange", "You")
    if role == "system":
        return "## " + translate("core.exchange", "System")
    if message["model"]:
        return "## " + translate("core.exchange", "Assistant ({model})").format(
            model=message["model"]
        )
    return "## " + translate("core.exchange", "Assistant")


def _figures(message: dict[str, Any]) -> str:
    """The reply's figures as one line: tokens, speed, time; empty for a prompt."""
    stats = message["stats"]
    if message["role"] != "assistant" or not stats.get("completion_tokens"):
        return ""
    speed = stats.get("tokens_per_s")
    total = stats.get("total_s")
    if isinstance(speed, (int, float)) and isinstance(total, (int, float)):
        return translate(
            "core.exchange", "{tokens} tokens at {speed} tokens/s in {seconds} s"
        ).format(
            tokens=_int(stats["completion_tokens"]), speed=decimal(speed), seconds=decimal(total)
        )
    tokens = _int(stats["completion_tokens"])
    if tokens == 1:
        return translate("core.exchange", "1 token")
    return translate("core.exchange", "%n tokens", None, tokens)


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _one_line(text: str) -> str:
    return " ".join(text.split()) or "…"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip("\n").split("\n"))
