"""The free-text safety net: reads a narrative for signs of a serious sexual offence, serious violence, domestic abuse,
corruption, discrimination and risk of self-harm, whatever categories the reporter or handler chose.

It is a rule system first, so that a handler can be told why a flag was raised and a reviewer can read what is caught
(safety_net_data/rules.py, one commented rule per kind of sign), with a learned backstop for serious sexual offences,
which the rules alone never caught at the recall the requirement asks of unseen text. The steps:

1. normalise: lower case, straight quotes, obfuscations undone ("r@pe", "s*x"), misspellt key words repaired;
2. split into sentences; find every rule's anchor in each sentence;
3. drop an anchor that its clause negates or denies ("he never touched me", "I deny that I touched her", "at no
   point did he..."), keeping consent negations, which are the opposite ("I didn't consent", "I said no");
4. drop an anchor that is the subject of a joke, a remark or a wish ("a joke about rape", "said he'd like to touch
   her up"), or that names a topic ("rape training", "the domestic abuse unit");
5. where a rule needs a context (a sexual act needs force, incapacity, a child or an abused position), look for it
   in the same sentence or either neighbour, itself not negated ("I wasn't drunk");
6. when no serious-sexual-offence rule fired, ask the learned backstop (safety_net_data/backstop.py) about the
   sentences the rules did not find a denial, joke, topic or consent in.

Flagging is deliberately generous where a reading is ambiguous: a missed rape costs far more than a handler's minute.
Measured figures and limits: docs/safety-net.md. The module imports no Django and no scikit-learn, so the `triage`
command needs no database and no training dependencies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from upstander.cases.safety_net_data import backstop
from upstander.cases.safety_net_data.lexicon import CLAUSE_BREAK, NEG_GAP, NEGATOR
from upstander.cases.safety_net_data.rules import (
    CORRUPTION,
    DISCRIMINATION,
    DOMESTIC,
    RULES,
    SELF_HARM,
    SSO,
    VIOLENCE,
    Rule,
)
from upstander.cases.safety_net_data.typos import correct

FLAGS = (SSO, VIOLENCE, DOMESTIC, CORRUPTION, DISCRIMINATION, SELF_HARM)

# Which chosen categories (policy/categories.toml keys) already cover a flag. Self-harm is never covered: whatever the
# category, a risk to someone's life needs a handler's attention.
COVERED_BY: dict[str, frozenset[str]] = {
    SSO: frozenset({"sexual_assault", "abuse_of_position_sexual"}),
    VIOLENCE: frozenset({"violence"}),
    DOMESTIC: frozenset({"domestic_abuse"}),
    CORRUPTION: frozenset({"corruption"}),
    DISCRIMINATION: frozenset({"racism", "misogyny", "homophobia", "religious_discrimination",
                               "disability_discrimination"}),
    SELF_HARM: frozenset(),
}


@dataclass(frozen=True)
class Hit:
    """One reason for a flag: the rule and the words it matched (normalised)."""

    flag: str
    rule: str
    words: str


def flags_for(text: str) -> list[str]:
    """The flags the narrative raises, in FLAGS order, each once."""
    raised = {hit.flag for hit in explain(text)}
    return [flag for flag in FLAGS if flag in raised]


def more_serious_than(categories: Iterable[str], flags: Iterable[str]) -> list[str]:
    """The raised flags that none of the chosen categories covers: each needs a handler to resolve it with reasons
    before the case moves on."""
    chosen = set(categories)
    return [flag for flag in FLAGS if flag in set(flags) and not (COVERED_BY[flag] & chosen)]


def explain(text: str) -> list[Hit]:
    """Every rule that fired on the narrative, first hit per rule and flag, for showing a handler why; then the
    learned backstop, when no serious-sexual-offence rule fired."""
    sentences = split_sentences(normalise(text))
    hits: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    vetoed: set[int] = set()  # sentences where the rules found a sexual offence and dropped it as denied or joked
    for rule in RULES:
        compiled = _compiled(rule)
        for index, sentence in enumerate(sentences):
            words = _first_live_match(rule, compiled, sentences, index, sentence,
                                      vetoed if SSO in rule.flags else None)
            if words is None:
                continue
            for flag in rule.flags:
                if (flag, rule.name) not in seen:
                    seen.add((flag, rule.name))
                    hits.append(Hit(flag, rule.name, words))
            break
    if not any(hit.flag == SSO for hit in hits) and (backstop_hit := _backstop(sentences, vetoed)):
        hits.insert(0, backstop_hit)
    return hits


def backstop_probability(text: str, model: backstop.Model | None = None) -> float:
    """The learned backstop's probability for the narrative, 0 where every sentence is one the rules found the act in
    and dropped as denied or joked about. `model` defaults to the shipped one (the bench passes models trained on
    earlier splits only)."""
    sentences = split_sentences(normalise(text))
    vetoed: set[int] = set()
    for rule in RULES:
        if SSO in rule.flags:
            for index, sentence in enumerate(sentences):
                _first_live_match(rule, _compiled(rule), sentences, index, sentence, vetoed)
    return _backstop_reading(sentences, vetoed, model or backstop.load())[0]


def _backstop(sentences: list[str], vetoed: set[int]) -> Hit | None:
    model = backstop.load()
    probability, piece = _backstop_reading(sentences, vetoed, model)
    if probability < model.threshold:
        return None
    return Hit(SSO, "learned backstop", f"p={probability:.2f}: " + ", ".join(backstop.top_words(piece, model)))


def _backstop_reading(sentences: list[str], vetoed: set[int], model: backstop.Model) -> tuple[float, str]:
    """The model's highest probability and its window, away from any sentence where the rules found the act and
    dropped it as denied, joked about or a topic: the model does not understand "he never raped me", the rules do."""
    if not vetoed:
        return backstop.best_window(sentences, model)
    kept = [i for i in range(len(sentences)) if i not in vetoed]
    pieces = [sentences[i] for i in kept] + [f"{sentences[i]} {sentences[i + 1]}" for i in kept if i + 1 in kept]
    return max(((backstop.probability(piece, model), piece) for piece in pieces), default=(0.0, ""))


# --- normalisation --------------------------------------------------------------------------------------------------

_LEET = str.maketrans({"@": "a", "4": "a", "3": "e", "1": "i", "!": "i", "0": "o", "$": "s", "5": "s"})
_OBFUSCATED = re.compile(r"(?<![\w£])[a-z][a-z@$*!0-9]*[@$*!0-9][a-z@$*!0-9]*[a-z]?(?![\w])")
_WORD = re.compile(r"(?<!')\b[a-z]{4,}\b(?!')")
# Contractions typed without their apostrophe ("didnt", "hed like to"), restored so the patterns see one spelling.
_CONTRACTIONS = {"didnt": "didn't", "dont": "don't", "doesnt": "doesn't", "wasnt": "wasn't", "werent": "weren't",
                 "isnt": "isn't", "arent": "aren't", "hasnt": "hasn't", "havent": "haven't", "hadnt": "hadn't",
                 "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "cant": "can't",
                 "wont": "won't", "hed": "he'd", "im": "i'm", "ive": "i've", "hes": "he's",
                 "shes": "she's", "theyre": "they're", "youre": "you're", "thats": "that's", "theres": "there's"}
_CONTRACTION = re.compile(r"\b(" + "|".join(_CONTRACTIONS) + r")\b")
_KNOWN_OBFUSCATIONS = frozenset({"sex", "sexual", "sexually", "rape", "raped", "raping", "rapist", "fuck", "fucking",
                                 "grope", "groped", "penis", "dick", "cock", "tits", "boobs", "pussy", "suicide",
                                 "nigger", "nigga", "paki", "faggot", "slut", "whore", "bitch", "assault", "kill"})


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    quotes: dict[str, str | int | None] = {"\u2018": "'", "\u2019": "'", "\u201b": "'", "`": "'", "\u201c": '"',
                                         "\u201d": '"', "\u2013": "-", "\u2014": " - ", "\u00a0": " "}
    text = text.translate(str.maketrans(quotes))
    text = text.replace('"', " ")  # quotation marks would cut a remark off from what it is about
    text = _OBFUSCATED.sub(_deobfuscate, text)
    text = re.sub(r"\b(him|her|my|them|your|our) ?sel(f|ves)\b", r"\1sel\2", text)
    text = re.sub(r"\bs\.? ?e\.? ?x\.?(?=\s)", "sex ", text)
    text = _WORD.sub(lambda m: correct(m.group(0)), text)
    text = _CONTRACTION.sub(lambda m: _CONTRACTIONS[m.group(1)], text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _deobfuscate(match: re.Match[str]) -> str:
    """"r@pe" -> "rape", "s*x" -> "sex"; left alone unless the result is a word the rules look for."""
    token = match.group(0)
    plain = token.translate(_LEET)
    if "*" not in plain:
        return plain if plain in _KNOWN_OBFUSCATIONS else token
    for fill in ("e", "a", "i", "o", "u", "ex", "ap", "uc"):
        if (guess := plain.replace("*", fill)) in _KNOWN_OBFUSCATIONS:
            return guess
        if (guess := re.sub(r"\*+", fill, plain)) in _KNOWN_OBFUSCATIONS:
            return guess
    return token


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+|(?<=[.!?])(?=[a-z]{2})", text)
    return [part.strip() for part in parts if part and part.strip()]


# --- matching -------------------------------------------------------------------------------------------------------

_NEGATED = re.compile(rf"\b(?P<neg>{NEGATOR})(?:\s+(?:{NEG_GAP}))*\s*$")
_SAID_NO = re.compile(r"\b(?:said|say|saying|says|told \w+|shout\w*|scream\w*|yell\w*|cried|begg\w*|mean\w*|kept "
                      r"saying)\s+no\s*$")
_CLAUSE_BREAK = re.compile(CLAUSE_BREAK)
# What a joke, song, rumour or fantasy is about is not an event ("a joke about rape", "rumours that I slept with").
_REMARK = re.compile(r"\b(?:jok\w*|banter\w*|memes?|songs?|sang|quip\w*|fantas\w*|dream\w*|gestur\w*|rumou?r\w*|laugh\w*|"
                     r"gossip\w*|comment\w*|remark\w*|innuendo\w*|pun|puns)\s+(?:about|that|of|on|saying|re|like)\b"
                     r"(?:\s+[\w']+){0,6}?\s*$")
# A course, briefing or policy about an act is a topic ("a debrief about the Soteria model for rape investigations");
# no subject pronoun may sit between, so "at the course on leadership he groped me" stays an account.
_TRAINING = re.compile(r"\b(?:courses?|training|lectures?|seminars?|debriefs?|briefings?|presentations?|workshops?|"
                       r"modules?|inputs?|cpd|guidance|polic(?:y|ies)|models?|sessions?|webinars?|leaflets?|posters?)"
                       r"(?:\s+(?:days?|sessions?|events?|packages?|materials?))?\s+"
                       r"(?:on|about|re|regarding|covering|for|into|around)\b(?:\s+(?!(?:he|she|they|i|we|you)\b)[\w'-]+){0,6}?"
                       r"\s*$")
_CASE = re.compile(r"\s+(?:case|victim|report|complaint|complainant|allegation|suspect)s?\b")  # a specific one
# What someone only said they wanted, or asked for, is not an act ("said he'd like to touch her up").
_WISH = re.compile(r"(?:\b(?:said|says|saying|told \w+(?: \w+)?|texted|messaged|wrote|joked|boasted|bragged|threatened?)"
                   r"(?: \w+)?(?: that)?(?: (?:he|she|they|i))?(?:'d|'ll| would| will| was going to| is going to| "
                   r"wanted to| wants to| could| might| wanna| gonna)(?: (?:like|love))?(?: to)?|\b(?:'d|would) (?:like|"
                   r"love) to|\bwants? to|\bwanted to|\bfanc(?:y|ies) |\b(?:dream\w*|fantas\w*) (?:of|about)|\basked "
                   r"(?:me|her|him|them|\w+) (?:to|if|whether)(?: (?:i|she|he|they))?(?: (?:could|would|wanted|want) to)?|"
                   r"\binvit\w* (?:me|her|him) to|\boffered to|\bask\w*(?: [\w']+){0,3} for|\bpropos\w*|\bsuggest\w*|\bhint\w*)(?:\s+[\w']+)?\s*$")


# "The allegation that he groped her was found to be false": a claim reported only to be denied.
_CLAIM_BEFORE = re.compile(r"\b(?:(?:allegations?|claims?|accusations?|suggestions?|story|rumou?rs?) (?:that|of)|"
                           r"accused (?:me |him |her |them )?of)\b")
_DENIED_AFTER = re.compile(r"\b(?:was|were|is|are|has been|have been|had been|turned out|proved|proven)(?: [\w']+){0,5}? "
                           r"(?:false|untrue|unfounded|fabricated|made up|a lie|lies|malicious|withdrawn|disproved|"
                           r"baseless|retracted|cleared|exonerated|acquitted|found not guilty)\b|\b(?:strongly |completely |"
                           r"categorically |totally |firmly )?den(?:y|ies|ied) (?:it|this|that|everything|the (?:allegation|"
                           r"claim|accusation)s?)\b|\bno case to answer\b")


# Talk about an act in general ("talking about groping", "laughed about rape") is a topic, not an account of one;
# "she talked about how he groped her" is an account, and is kept.
# A question or a hypothetical is not an account ("asked if I had been assaulted", "if he ever tried to touch me").
_QUESTION = re.compile(r"\b(?:ask\w*|wonder\w*|question\w*)(?: [\w']+){0,2}? (?:if|whether)\b(?:\s+[\w']+){0,4}?\s*$")
_HYPOTHETICAL = re.compile(r"\bif\s+(?:he|she|they|anyone|someone|somebody|a man|an officer)(?:\s+ever)?(?:\s+(?:tried|tries|"
                           r"were|was|wants|wanted)\s+to)?\s*$")
# "I don't want anyone to think he touched me, he didn't": the next clause takes it back.
_TAKEN_BACK = re.compile(r"^[^.!?]{0,40}?[,;:\u2014-]\s*(?:but\s+)?(?:he|she|they|it)\s+(?:didn't|did not|never did|hasn't|has not|"
                         r"wasn't|was not|never has)\s*(?:[,;.:!?]|$)")
_MIMED = re.compile(r"\b(?:mim(?:ed|ing|es|e)|pretend(?:ed|ing|s)?(?: to be)?|act(?:ed|ing)? out|simulat\w*)\s*$")
_TALK_ABOUT = re.compile(r"\b(?:talk\w*|chat\w*|discuss\w*|lectur\w*|debat\w*|read\w* up)\s+about\s*$")
_PAST_TENSE = re.compile(r"^(?:[\w']*ed|had|has)\b")


@dataclass(frozen=True)
class _Compiled:
    pattern: re.Pattern[str]
    context: re.Pattern[str] | None
    after: re.Pattern[str] | None
    before: re.Pattern[str] | None
    unless: re.Pattern[str] | None


@cache
def _compiled(rule: Rule) -> _Compiled:
    return _Compiled(
        pattern=re.compile(rule.pattern),
        context=re.compile(rule.context) if rule.context else None,
        after=re.compile(rf"\s*(?:{rule.after})\b") if rule.after else None,
        before=re.compile(rf"(?:{rule.before})") if rule.before else None,
        unless=re.compile(rule.unless) if rule.unless else None,
    )


def _clause_before(sentence: str, position: int) -> str:
    prefix = sentence[:position]
    breaks = list(_CLAUSE_BREAK.finditer(prefix))
    return prefix[breaks[-1].end():] if breaks else prefix


def _negated(sentence: str, position: int, end: int | None = None) -> bool:
    clause = _clause_before(sentence, position)
    if end is not None and _CLAIM_BEFORE.search(clause) and _DENIED_AFTER.search(sentence, end):
        return True
    match = _NEGATED.search(clause)
    if match is None:
        return False
    # "I said no, he ..." and "told him no" are refusals, not negations of what follows.
    return not (match.group("neg") == "no" and _SAID_NO.search(clause[: match.start("neg") + 2]))


def _first_live_match(rule: Rule, compiled: _Compiled, sentences: list[str], index: int, sentence: str,
                      vetoed: set[int] | None = None) -> str | None:
    """The first match the clause does not deny, joke about or name as a topic, whose context is present and which is
    not said to be consensual. A match dropped for any reason but a missing context puts the sentence's index in
    `vetoed`."""
    for match in compiled.pattern.finditer(sentence):
        before = _clause_before(sentence, match.start())
        if _spoken_away(rule, compiled, sentence, match, before):
            if vetoed is not None:
                vetoed.add(index)
            continue
        if compiled.unless is not None and _context_present(compiled.unless, sentences, index, match.span()):
            if vetoed is not None:  # said to be consensual: the backstop's "had sex" is no offence either
                vetoed.add(index)
            continue
        if compiled.context is not None and not _context_present(compiled.context, sentences, index, match.span()):
            continue
        return match.group(0)
    return None


def _spoken_away(rule: Rule, compiled: _Compiled, sentence: str, match: re.Match[str], before: str) -> bool:
    """Negated, denied, asked, supposed, taken back, joked about, only wished, or a topic."""
    if rule.negatable and (_negated(sentence, match.start(), match.end())
                           or _QUESTION.search(sentence[: match.start()])
                           or _HYPOTHETICAL.search(sentence[: match.start()]) or _TAKEN_BACK.match(sentence[match.end():])):
        return True
    if rule.remarks and (_REMARK.search(before) or _MIMED.search(before) or (_TRAINING.search(before) and not _CASE.match(sentence, match.end()))
                         or (_TALK_ABOUT.search(before) and not
                                                     _PAST_TENSE.match(match.group(0)))):
        return True
    # A wish takes a bare verb ("said he'd touch her"); "he'd touched her" and "he'd had sex" are past events.
    if rule.wishes and not _PAST_TENSE.match(match.group(0)) and _is_wish(before):
        return True
    if compiled.before is not None and compiled.before.search(before):
        return True
    return compiled.after is not None and compiled.after.match(sentence, match.end()) is not None


def _is_wish(before: str) -> bool:
    """ "said he'd like to", "wanted to": a wish; "didn't want to" is a refusal, which is the opposite."""
    wish = _WISH.search(before)
    return wish is not None and not _negated(before, wish.start())


def _context_present(context: re.Pattern[str], sentences: list[str], index: int, anchor: tuple[int, int]) -> bool:
    """A context word counts unless it is part of the anchor itself, negated ("I wasn't drunk") or only joked about."""
    for offset, neighbour in enumerate(sentences[max(0, index - 1): index + 2], start=max(0, index - 1)):
        for match in context.finditer(neighbour):
            if offset == index and anchor[0] <= match.start() and match.end() <= anchor[1]:
                continue
            if not _negated(neighbour, match.start(), match.end()) and not _REMARK.search(
                    _clause_before(neighbour, match.start())):
                return True
    return False
