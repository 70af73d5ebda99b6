"""Reading a ChatGPT data export (``conversations.json``) into conversations to add.

The file is a list of conversations, each with a ``title``, ``create_time``, ``update_time``, an
``id`` and a ``mapping`` of node id → ``{"message", "parent", "children"}``: a tree of versions
like Workbench's own, where an edited prompt or a regenerated answer is a sibling of what it
replaced, and ``current_node`` ends the thread that was on screen.

What is kept: user and assistant messages with text (``parts`` of text, code, multimodal text
without the images). What is left out, with its children attached to the message above it: the
empty root, system messages (the first visible one becomes the chat's system prompt), hidden
ones, tool calls and tool output, and the model's hidden reasoning, which becomes the reasoning
of the answer that follows it. A message with nothing left to show is left out the same way.
"""

from __future__ import annotations

from typing import Any

from workbench.core.exchange.import_json import Damaged
from workbench.core.store.imports import ConversationDraft, MessageDraft

SOURCE = "chatgpt"


def is_chatgpt(data: Any) -> bool:
    """Whether parsed JSON is a ChatGPT conversations list (an empty list counts)."""
    return isinstance(data, list) and all(
        isinstance(item, dict) and isinstance(item.get("mapping"), dict) for item in data
    )


def read_chatgpt(data: list[dict[str, Any]]) -> list[ConversationDraft]:
    """The conversations of a ChatGPT export, oldest first.

    Raises:
        Damaged: A conversation's tree is inconsistent.
    """
    drafts = [_conversation(i, item) for i, item in enumerate(data, start=1)]
    return sorted(drafts, key=lambda d: d.created_at)


def _conversation(number: int, item: dict[str, Any]) -> ConversationDraft:
    mapping: dict[str, Any] = item["mapping"]
    if not all(isinstance(node, dict) for node in mapping.values()):
        raise Damaged(number, "a node is not an object")
    roots = [key for key, node in mapping.items() if node.get("parent") not in mapping]
    if not roots:
        raise Damaged(number, "no root node")
    created = _time(item.get("create_time")) or 0.0
    updated = _time(item.get("update_time")) or created
    title = item.get("title") if isinstance(item.get("title"), str) else ""
    default_model = item.get("default_model_slug")
    walk = _Walk(mapping, created, default_model if isinstance(default_model, str) else None)
    for root in sorted(roots, key=walk.node_time):
        walk.visit(root, None, "")
    # The thread on screen ends at current_node, or at the nearest kept message above it.
    current = None
    node_id = item.get("current_node")
    seen: set[str] = set()
    while isinstance(node_id, str) and node_id in mapping and node_id not in seen:
        seen.add(node_id)
        if node_id in walk.kept:
            current = node_id
            break
        node_id = mapping[node_id].get("parent")
    if current is None and walk.messages:
        current = walk.messages[-1].ref
    source_id = item.get("conversation_id") or item.get("id")
    key = f"{SOURCE}:{source_id}" if isinstance(source_id, str) and source_id else None
    if key is None:
        key = f"{SOURCE}:{title}:{created}"
    models = [m.model for m in walk.messages if m.model]
    return ConversationDraft(
        title=title.strip() or "ChatGPT",
        created_at=created,
        updated_at=max(updated, created),
        source=SOURCE,
        key=key,
        messages=walk.messages,
        current=current,
        system_prompt=walk.system_prompt,
        model=models[-1] if models else default_model,
    )


class _Walk:
    """A depth-first walk of the mapping that keeps the messages worth showing, each after its
    parent and siblings in the order they were written."""

    def __init__(
        self, mapping: dict[str, Any], fallback_time: float, default_model: str | None
    ) -> None:
        self.mapping = mapping
        self.fallback_time = fallback_time
        # The model of answers whose own metadata does not name one.
        self.default_model = default_model
        self.messages: list[MessageDraft] = []
        self.kept: set[str] = set()
        self.system_prompt: str | None = None
        self._visited: set[str] = set()

    def node_time(self, node_id: str) -> float:
        message = self.mapping.get(node_id, {}).get("message")
        stamp = _time(message.get("create_time")) if isinstance(message, dict) else None
        return stamp if stamp is not None else self.fallback_time

    def visit(self, node_id: str, parent: str | None, reasoning: str) -> None:
        # An explicit stack: real exports have threads thousands of messages deep.
        stack = [(node_id, parent, reasoning)]
        while stack:
            node_id, parent, reasoning = stack.pop()
            if node_id in self._visited:  # a cycle or a node listed twice
                continue
            self._visited.add(node_id)
            node = self.mapping[node_id]
            kept, reasoning = self._keep(node_id, node.get("message"), parent, reasoning)
            below = node_id if kept else parent
            children = [
                c for c in node.get("children") or [] if isinstance(c, str) and c in self.mapping
            ]
            # Reversed onto the stack, so the oldest child is visited (and numbered) first.
            for child in sorted(children, key=self.node_time, reverse=True):
                stack.append((child, below, reasoning))

    def _keep(
        self, node_id: str, message: Any, parent: str | None, reasoning: str
    ) -> tuple[bool, str]:
        """Add the node's message if it is one to show; whether it was, and the reasoning
        still waiting for an answer."""
        if not isinstance(message, dict):
            return False, reasoning
        author = message.get("author") if isinstance(message.get("author"), dict) else {}
        role = author.get("role")
        metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
        content = message.get("content") if isinstance(message.get("content"), dict) else {}
        kind = content.get("content_type")
        hidden = bool(metadata.get("is_visually_hidden_from_conversation"))
        if role == "assistant" and kind == "thoughts":
            return False, _join(reasoning, _thoughts(content))
        text = _text(content)
        if role == "system":
            if not hidden and text.strip() and self.system_prompt is None:
                self.system_prompt = text
            return False, reasoning
        if role not in ("user", "assistant") or hidden or not text.strip():
            return False, reasoning
        if role == "assistant" and message.get("recipient", "all") != "all":
            return False, reasoning  # a call to a tool, not an answer
        created = _time(message.get("create_time")) or self.fallback_time
        model = metadata.get("model_slug") if role == "assistant" else None
        if role == "assistant" and not isinstance(model, str):
            model = self.default_model
        self.messages.append(
            MessageDraft(
                ref=node_id,
                parent=parent,
                role=role,
                content=text,
                reasoning=reasoning if role == "assistant" else "",
                source=SOURCE if role == "assistant" else None,
                model=model if isinstance(model, str) else None,
                created_at=created,
                updated_at=_time(message.get("update_time")) or created,
            )
        )
        self.kept.add(node_id)
        return True, "" if role == "assistant" else reasoning


def _text(content: dict[str, Any]) -> str:
    kind = content.get("content_type")
    if kind == "code" and isinstance(content.get("text"), str):
        language = content.get("language") if isinstance(content.get("language"), str) else ""
        return f"```{'' if language == 'unknown' else language}\n{content['text']}\n```"
    parts = content.get("parts")
    if isinstance(parts, list):
        # Images and files of multimodal messages are objects: only their text comes along.
        return "\n\n".join(p for p in parts if isinstance(p, str) and p)
    text = content.get("text")
    return text if isinstance(text, str) else ""


def _thoughts(content: dict[str, Any]) -> str:
    pieces = []
    for thought in content.get("thoughts") or []:
        if isinstance(thought, dict):
            summary, body = thought.get("summary"), thought.get("content")
            pieces.append(
                "\n\n".join(t for t in (summary, body) if isinstance(t, str) and t.strip())
            )
    return "\n\n".join(p for p in pieces if p)


def _join(first: str, second: str) -> str:
    return "\n\n".join(t for t in (first, second) if t)


def _time(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
