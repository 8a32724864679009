"""Misspelling repair for the key words of the safety net. A word of five letters or more that is not itself an English
word and is one edit (a letter added, dropped, changed, or two swapped) from a key word is read as that key word:
"sexualy assualted" -> "sexually assaulted", "grpoed" -> "groped". Real words that happen to be one edit from a key
word ("grouped", "rapped", "touches") are never changed: GUARD lists them.

GUARD is generated from the Debian word lists (packages wbritish and wamerican), which the running code does not need:
    python -m upstander.cases.safety_net_data.typos /usr/share/dict/british-english /usr/share/dict/american-english
prints the new GUARD to paste below after VOCAB changes."""

from __future__ import annotations

import sys

VOCAB = frozenset("""
raped raping rapist rapists sexual sexually assault assaults assaulted assaulting molested molesting molester
groped groping fondled fondling touched touching inappropriately inappropriate consent consented consensual
penetrated penetration penetrating fingered breasts breast vagina genitals crotch backside bottom nipples knickers
underwear trousers himself herself forced forcing coerced coercion pressured pressure threatened blackmailed
unconscious intoxicated drugged spiked strangled strangling strangle choked choking stabbed stabbing punched punching
kicked kicking repeatedly hospital fractured fracture broken domestic abused abusing abusive violence violent
controlling coercive girlfriend boyfriend husband partner bribe bribes bribery bribed corrupt corruption leaked leaking
information racist racism racially homophobic homophobia transphobic sexist misogynist misogynistic misogyny
discrimination discriminated disabled disability suicidal suicide overdose overdosed myself harming anymore exchange
favours sexual assaulted without against indecently indecent exposed custody sergeant officer colleague colleagues
intercourse blowjob strangulation hospitalised
""".split())

GUARD = frozenset("""
abased abasing abreast abuse abuser abuses amused amusing aping arming asexual asexually assaulter backsides
backslide beaked beast beasts blackmailer bottoms boyfriends brest brice bride brides brine broke broker bunched
bunching bused busing caped charming chocked chocking choke choker chokes chowed chowing coerce coerces coked coking
consents content contented convent cooked cooking corruptions corrupts couched couching crouch crutch disable
disables discriminate discriminates domestics douched douching dragged draped draping drudged exchanged exchanges
exist expose exposes facially farming favors favour flavours fondle fondles force forces forded fording forged
forging forked forking formed forming foundling fractures gaped gaping genital girlfriends griped griping grope
gropes grouped grouping growing hamming harding haring harking harping hospitalise hospitalises hospitalized
hospitals hunched hunching husbands intoxicate intoxicates japed japing kicker kickers kinked kinking knockers
leaded leading leafed leafing leakey leaned leaning leaped leaping leased leasing leaved leaving licked licking
lingered lunched lunching misogynists molesters munched munching nicked nicking nipple office officers offices
overdoes overdone overdoses partners peaked peaking penetrate penetrates penetrations picked picking piked pinched
pinching pouched pouching pressures punches raced raciest racing racists radially raged raging raked raking rapes
rapid rapine rapped rapping rared raring rasped rasping rated rating raved raving razed razing reaped reaping ricked
ricking ripples roped roping rugged savours scabbed scabbing sergeants sexiest sexism sexists sicked sicking slabbed
slabbing snickers spiced spied spike spikes spited stabbings stabled stabling straggle straggled straggling strange
strangler strangles stubbed stubbing suicides swabbed swabbing tabbed tabbing taped taping ticked ticking tipples
torched torching touches touchings transphobia tribe tribes troupers trouser vaginae vaginal vaped vaping violet
vouched vouching warming wicked
""".split())


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


_INDEX: dict[str, set[str]] = {}
for _word in VOCAB:
    for _key in _deletes(_word) | {_word}:
        _INDEX.setdefault(_key, set()).add(_word)


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def correct(word: str) -> str:
    """The key word a misspelt word stands for, or the word unchanged."""
    if len(word) < 5 or word in VOCAB or word in GUARD or not word.isalpha():
        return word
    candidates = set()
    for key in _deletes(word) | {word}:
        candidates |= _INDEX.get(key, set())
    # Where two key words are one edit away ("sexualy": sexual, sexually) the longer is the likelier intent.
    matches = sorted((c for c in candidates if _one_edit(word, c) and len(c) >= 5), key=lambda c: (-len(c), c))
    return matches[0] if matches else word


def _neighbours_in(dictionary_paths: list[str]) -> list[str]:
    words: set[str] = set()
    for path in dictionary_paths:
        with open(path, encoding="utf-8") as handle:
            words |= {line.strip().lower() for line in handle if line.strip().isalpha()}
    guard = set()
    for word in words:
        if len(word) < 5 or word in VOCAB:
            continue
        for key in _deletes(word) | {word}:
            if any(_one_edit(word, c) for c in _INDEX.get(key, ())):
                guard.add(word)
    return sorted(guard)


if __name__ == "__main__":
    print(" ".join(_neighbours_in(sys.argv[1:])))
