"""One run of the witness: pull what is new, check it extends what was seen, sign and keep the new head, and tell
the force's server (so the overseer's pages can say when the log was last confirmed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstander.audit.chain import GENESIS, Head, check_extension
from upstander.audit.witness_formats import signed_head
from upstander.witness.client import ForceClient, Unreachable
from upstander.witness.store import Store, WitnessError

PAGE = 1000


@dataclass
class RunResult:
    previous: Head | None
    head: Head
    new_events: int
    signed: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _check_page(page: dict[str, Any], seen: Head, first_pull: bool) -> None:
    """The server's answer must start exactly where the witness left off."""
    anchor = page.get("anchor") or {}
    current = page.get("head") or {}
    if anchor.get("id") != seen.id or not isinstance(current.get("id"), int):
        raise WitnessError("the force's server answered a different question than was asked")
    if anchor.get("hash") is None:
        raise WitnessError(f"REFUSED: the log now ends at event {current['id']}, before event {seen.id} which this "
                           "witness saw: events have been removed")
    if anchor["hash"] != seen.hash:
        what = "the first event" if first_pull else f"event {seen.id}"
        raise WitnessError(f"REFUSED: {what} of the log is no longer the one this witness saw (hash {seen.hash[:16]}… "
                           f"is now {str(anchor['hash'])[:16]}…): the log has been rewritten")


def pull(client: ForceClient, seen: Head | None) -> tuple[Head, int]:
    """Every event after `seen`, checked link by link; returns the new head and how many events were new."""
    position = seen or Head(0, GENESIS)
    count = 0
    while True:
        page = client.since(position.id, PAGE)
        _check_page(page, position, seen is None)
        position, broken = check_extension(position, page.get("events") or [])
        count += len(page.get("events") or [])
        if broken is not None:
            raise WitnessError(f"REFUSED at event {broken.event_id}: {broken.problem}")
        if not page.get("more"):
            break
    final = page["head"]
    if Head(final["id"], final["hash"]) != position:
        raise WitnessError(f"REFUSED: the server's head (event {final['id']}) is not the end of the events it sent")
    return position, count


def run_once(store: Store, client: ForceClient, seen_at: str, *, report: bool = True) -> RunResult:
    """Raises WitnessError (refuse: something the overseer must look at) or Unreachable (try later)."""
    with store.lock():
        previous = store.last_head()
        new_head, count = pull(client, previous)
        signed = signed_head(store.private_key(), new_head.id, new_head.hash, seen_at)
        store.append(signed)
    result = RunResult(previous, new_head, count, signed)
    if report:
        try:
            client.post_head(signed)
        except (WitnessError, Unreachable) as exc:
            result.warnings.append(f"the head is kept here, but the force's server did not record the "
                                   f"confirmation: {exc}")
    return result
