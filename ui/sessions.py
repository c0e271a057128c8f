"""Gradio's per-session state, created on a session's first question rather than on its page load."""

from __future__ import annotations

import datetime
from typing import Any

from gradio.state_holder import SessionState, StateHolder


class LazySessions(StateHolder):
    """A StateHolder that keeps a session only once one of its events writes a gr.State (the chat's answers: the
    first question, or Clear). Until then each event (the page load's language detection, a language switch, a
    register filter) runs on a state of its own that is dropped when the event ends: a page opened and never used
    costs no memory (each kept session holds Gradio's copy of the page's configuration, about 94 KB)."""

    def __getitem__(self, session_id: str) -> SessionState:
        if session_id in self.session_data:
            return super().__getitem__(session_id)
        return _Pending(self, session_id)

    def keep(self, session_id: str, state: SessionState) -> None:
        """Keep a session's state from now on (beyond the capacity the oldest goes, as in Gradio's own)."""
        with self.lock:
            self.session_data.setdefault(session_id, state)
        self.update(session_id)
        self.time_last_used[session_id] = datetime.datetime.now()


class _Pending(SessionState):
    """The state of one event of a session not kept yet; writing a gr.State keeps it."""

    def __init__(self, holder: LazySessions, session_id: str) -> None:
        super().__init__(holder.blocks)
        self._holder = holder
        self._session_id = session_id

    def __setitem__(self, key: int, value: Any) -> None:
        super().__setitem__(key, value)
        if key in self.state_data and self._session_id not in self._holder.session_data:
            self._holder.keep(self._session_id, self)


def install(app: Any) -> LazySessions:
    """Replace a mounted Gradio app's StateHolder (before it has served anything) with a LazySessions."""
    holder = LazySessions()
    holder.set_blocks(app.get_blocks())
    app.state_holder = holder
    return holder
