"""What the stages after reading remember between builds (pieces per event, drawn charts, checks, page keys),
gathered so that a command-line build can keep it with the snapshot of the model and the next build can take
it back (see snapshot). `serve` keeps them in its process and needs none of this.

Each memory is a module with `kept_state()` and `restore_state(state)`. The state is a flat dict whose values are
never changed in place (tuples, strings, frozen sets, frozen records) and whose keys are made of content (digests,
ids), never of object identities: so it can be pickled, trusted in a fresh process, and kept between builds as
the entries set and dropped since it was taken back.
"""

from __future__ import annotations

import importlib
from typing import Any

MODULES = (  # the modules whose memories are kept
    "timeline.checkmemo",
    "timeline.charts.memo",
    "timeline.pagekeys",
    "timeline.eventmemo",
    "timeline.render",
)

KEPT_UP_TO = 25_000  # events (content files): past this, a command-line build keeps nothing but the model, as
# what the content was read from and the pieces would take more memory than a 100,000-event build has (2 GiB)

_KEEPING = {"on": True}


def keeping() -> bool:
    """Whether the memories are to keep what they find, for a later build."""
    return _KEEPING["on"]


def keep_nothing() -> None:
    """From now on, in this process, the memories keep nothing: a build that keeps only its model (see KEPT_UP_TO)
    would only pay for them in memory."""
    _KEEPING["on"] = False


States = dict[str, dict[Any, Any]]  # module -> its state
Change = dict[str, tuple[dict[Any, Any], list[Any]]]  # module -> (entries set, keys dropped)


def kept() -> States:
    """Every memory's state, by module."""
    return {name: importlib.import_module(name).kept_state() for name in MODULES}


def restore(states: States) -> None:
    """Give each memory back its state (those not in `states` keep theirs)."""
    for name in MODULES:
        if name in states:
            importlib.import_module(name).restore_state(states[name])


def changes(before: States, now: States) -> Change:
    """What turns `before` into `now` (to `apply` later)."""
    change: Change = {}
    for name, state in now.items():
        old = before.get(name, {})
        if state is old:
            continue
        missing = object()
        put = {key: value for key, value in state.items() if not _same(old.get(key, missing), value)}
        dropped = [key for key in old if key not in state]
        if put or dropped:
            change[name] = (put, dropped)
    return change


def _same(old: Any, new: Any) -> bool:
    return old is new or (type(old) is type(new) and old == new)


def apply(states: States, change: Change) -> None:
    """Make `states` what `changes` was given as `now`, in place."""
    for name, (put, dropped) in change.items():
        state = states.setdefault(name, {})
        state.update(put)
        for key in dropped:
            state.pop(key, None)


def size(change: Change) -> int:
    """How many entries a change sets or drops."""
    return sum(len(put) + len(dropped) for put, dropped in change.values())
