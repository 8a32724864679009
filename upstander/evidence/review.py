"""Classify a parsed chat and sum it up: the glue between the parsers, the classifier and the policy, shared by the
command, the case actions and the benchmark.

Only what a person wrote is classified: a message's text, or a media message's caption. System lines, deleted
messages and bare placeholders are never flagged."""

from __future__ import annotations

import multiprocessing
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from upstander.evidence.classifier import model
from upstander.evidence.classifier.data import CATEGORIES
from upstander.evidence.classifier.model import Verdict
from upstander.evidence.parsing import ChatMessage, Kind, ParsedChat
from upstander.lib import policy

BATCH = 2000
NOTHING = Verdict("", 0.0, ())
BANTER = "offensive_not_hate"
_WORDS = re.compile(r"[a-z]+")
_PLACEHOLDER = re.compile(r"^(<media omitted>|<[^<>]{1,40} omitted>|.+ omitted|.*<attached: [^>]+>|.+ \(file attached\))$",
                          re.IGNORECASE)


def evidence_policy() -> dict:
    return policy.load("evidence")


def thresholds() -> dict[str, float]:
    values = evidence_policy()["classifier"]["thresholds"]
    missing = set(CATEGORIES) - set(values)
    if missing:
        raise KeyError(f"policy/evidence.toml has no threshold for {sorted(missing)}")
    return {c: float(values[c]) for c in CATEGORIES}


def category_label(key: str) -> str:
    return str(evidence_policy().get("labels", {}).get(key, key.replace("_", " ")))


def readable(message: ChatMessage) -> str:
    """The words a person wrote in this message, if any."""
    if message.kind == Kind.MESSAGE:
        return message.text
    if message.kind == Kind.MEDIA:
        first, _, rest = message.text.partition("\n")
        return rest if _PLACEHOLDER.match(first.strip().strip("\u200e")) else message.text
    return ""


def banter_words() -> frozenset[str]:
    return frozenset(w.lower() for w in evidence_policy()["classifier"].get("banter", {}).get("words", []))


def with_banter(texts: list[str], verdicts: list[Verdict], words: frozenset[str]) -> list[Verdict]:
    """British insults the training data never saw ("muppet", "bellend"): a message the model leaves unflagged that
    uses one is offensive_not_hate, with the word as the reason (policy/evidence.toml, docs/evidence.md)."""
    if not words:
        return verdicts
    out = []
    for text, verdict in zip(texts, verdicts, strict=True):
        found = [w for w in _WORDS.findall(text.lower()) if w in words] if not verdict.category else []
        out.append(Verdict(BANTER, verdict.score, tuple(dict.fromkeys(found))) if found else verdict)
    return out


def _classify_texts(texts: list[str], cuts: dict[str, float]) -> list[Verdict]:
    """One batch, in a worker process: the model is the parent's, inherited when the worker was forked."""
    return with_banter(texts, model.load().classify(texts, cuts), banter_words())


def classify(messages: Sequence[ChatMessage], *, progress: Callable[[int], None] | None = None,
             classifier: model.Classifier | None = None, workers: int = 1) -> list[Verdict]:
    """A verdict per message. With workers > 1 (the command on a large export) batches are classified in that
    many forked processes; pages and actions classify in their own process."""
    cuts, words = thresholds(), banter_words()
    texts = [readable(m) for m in messages]
    wanted = [i for i, t in enumerate(texts) if t.strip()]
    batches = [wanted[s:s + BATCH] for s in range(0, len(wanted), BATCH)]
    verdicts: list[Verdict] = [NOTHING] * len(messages)
    if workers > 1 and len(batches) > 1 and classifier is None:
        model.load()  # loaded once here, shared with the forked workers
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = pool.map(_classify_texts, [[texts[i] for i in b] for b in batches], [cuts] * len(batches))
            for batch, result in zip(batches, results, strict=True):
                for i, verdict in zip(batch, result, strict=True):
                    verdicts[i] = verdict
                if progress:
                    progress(len(batch))
        return verdicts
    classifier = classifier or model.load()
    for batch in batches:
        batch_texts = [texts[i] for i in batch]
        for i, verdict in zip(batch, with_banter(batch_texts, classifier.classify(batch_texts, cuts), words), strict=True):
            verdicts[i] = verdict
        if progress:
            progress(len(batch))
    return verdicts


@dataclass
class Summary:
    format: str
    messages: int
    unreadable_lines: int
    senders: dict[str, dict[str, int]]
    flags: list[dict]

    def as_dict(self) -> dict:
        return {"format": self.format, "messages": self.messages, "unreadable_lines": self.unreadable_lines,
                "senders": self.senders, "flags": self.flags}


def summarise(chat: ParsedChat, verdicts: Sequence[Verdict]) -> Summary:
    """The command's JSON document: people's messages counted, flags per sender and category, each flag with why."""
    senders: dict[str, Counter[str]] = defaultdict(Counter)
    flags = []
    for message, verdict in zip(chat.messages, verdicts, strict=True):
        if message.kind not in Kind.PEOPLE:
            continue
        senders[message.sender]  # every sender is listed, flagged or not  # noqa: B018
        if verdict.category:
            senders[message.sender][verdict.category] += 1
            flags.append({"sender": message.sender, "at": message.at, "text": message.text,
                          "category": verdict.category, "score": round(verdict.score, 4), "why": list(verdict.why),
                          "kind": message.kind, "channel": message.channel})
    ordered = {name: {c: counts[c] for c in CATEGORIES if counts[c]} for name, counts in senders.items()}
    return Summary(chat.format, len(chat.people_messages), len(chat.unreadable), ordered, flags)


def model_version() -> str:
    """Which model scored an export: the first 16 hex digits of its training data's SHA-256."""
    return model.load().version
