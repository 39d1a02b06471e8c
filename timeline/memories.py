"""What the stages after reading remember between builds (pieces per event, drawn charts, checks, page keys),
gathered so that a command-line build can keep it with the snapshot of the model and the next build can take
it back (see snapshot). `serve` keeps them in its process and needs none of this.

Each memory is a module with `kept_state()` (picklable, made only of what its entries were made from: content
digests, never object identities) and `restore_state(state)`. A state that is a dict of dicts is kept between
builds as the entries added since it was taken back; anything else whole.
"""

from __future__ import annotations

import importlib
from typing import Any

MODULES: tuple[str, ...] = ()  # the modules whose memories are kept


def kept() -> dict[str, Any]:
    """Every memory's state, by module."""
    return {name: importlib.import_module(name).kept_state() for name in MODULES}


def restore(states: dict[str, Any]) -> None:
    """Give each memory back its state (those not in `states` keep theirs)."""
    for name in MODULES:
        if name in states:
            importlib.import_module(name).restore_state(states[name])


def copy(states: dict[str, Any]) -> dict[str, Any]:
    """The states as they are now, to compare with what they hold later (see `added`)."""
    return {name: _copy(state) for name, state in states.items()}


def _copy(state: Any) -> Any:
    if not isinstance(state, dict):
        return state
    return {key: dict(inner) if isinstance(inner, dict) else inner for key, inner in state.items()}


def added(before: dict[str, Any], now: dict[str, Any]) -> dict[str, Any] | None:
    """What `now` adds to `before`, to `apply` to it later; None when it does more than add (an entry replaced or
    dropped, a memory cleared): then only `now` whole will do."""
    change: dict[str, Any] = {}
    for name, state in now.items():
        old = before.get(name)
        if state is old:
            continue
        if not (isinstance(state, dict) and isinstance(old, dict) and state.keys() >= old.keys()):
            return None
        part: dict[Any, Any] = {}
        for key, inner in state.items():
            previous = old.get(key)
            if inner is previous:
                continue
            if not (isinstance(inner, dict) and isinstance(previous, dict) and inner.keys() >= previous.keys()):
                if key in old:
                    return None
                part[key] = inner
                continue
            new = {k: v for k, v in inner.items() if k not in previous or v is not previous[k]}
            if any(k in previous for k in new):
                return None
            if new:
                part[key] = new
        if part:
            change[name] = part
    return change


def apply(states: dict[str, Any], change: dict[str, Any]) -> None:
    """Add what `added` gave to `states`, in place."""
    for name, part in change.items():
        state = states.setdefault(name, {})
        for key, inner in part.items():
            if isinstance(inner, dict) and isinstance(state.get(key), dict):
                state[key].update(inner)
            else:
                state[key] = inner


def size(change: dict[str, Any]) -> int:
    """How many entries a change holds."""
    return sum(len(inner) if isinstance(inner, dict) else 1 for part in change.values() for inner in part.values())
