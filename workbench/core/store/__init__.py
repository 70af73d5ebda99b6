"""Conversation storage in SQLite.

One :class:`Store` owns one connection, shared by the GUI thread (reads) and worker threads
(saving streaming replies) and serialised by a re-entrant lock; every operation is a short
statement or transaction. The database runs in WAL mode, so another connection (another Store,
another process) can read while a reply is being saved.

Messages form a tree, as in ChatGPT: each has a ``parent_id``, a regenerated reply or an edited
prompt is a sibling of the message it replaces (its other *version*), and the conversation's
``current_leaf_id`` picks the path shown, :meth:`Store.thread`. Deleting a conversation moves it to
the trash (undo with :meth:`Store.restore_conversation`) until :meth:`Store.purge_deleted`.

:class:`ReplyRecorder` saves a streaming assistant reply as it grows, so a crash loses at most
about a second of text.

The package: :mod:`.database` (the :class:`Store`), :mod:`.connection` (opening and migrating
the file), :mod:`.records` (conversations and messages as values), :mod:`.recorder`,
:mod:`.search` (the search box's query) and :mod:`.errors`.
"""

from workbench.core.store.database import Store
from workbench.core.store.errors import StoreError, newer_version_message
from workbench.core.store.recorder import ReplyRecorder
from workbench.core.store.records import ROLES, STATES, Conversation, Message

__all__ = [
    "ROLES",
    "STATES",
    "Conversation",
    "Message",
    "ReplyRecorder",
    "Store",
    "StoreError",
    "newer_version_message",
]
