"""Misspelling repair for the key words of the safety net. A word of four letters or more that is not itself an English
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
raped rapes touch touches grabbed grabbing squeezed squeezing pinched pinching rubbed rubbing stroked stroking
pressed slapped smacked kissed kissing kissed fondle grope gropes groping fingers inside underneath knickers skirt dress
thigh thighs chest boobs bottom crotch groin private privates genitals penis vagina naked undressed undress stripped
unconscious asleep sleeping slept sleep drunk drugged spiked passed against consent consented agreed agree without
forced forcing pinned held pushed pulled trousers underwear pyjamas himself herself myself advantage student
teenager daughter child children underage fifteen fourteen thirteen twelve year years girl girls woman women
colleague probationer detainee prisoner custody victim witness informant vulnerable exchange return favours charges
promotion probation arrest arrested anyway stopped refused refusal cried crying screamed froze frozen terrified scared
never nobody nothing didnt doesnt wasnt denied denies denying confirmed withdrew joked jokes joking laughed banter
comment comments remarks messages texted photos pictures sexually sexual assaulted raping relationship intimate
molest molests groomed grooming indecent indecently exposed exposure penetrate penetrated having started
strangled choked stabbed punched kicked beaten battered hospital fractured broken weapon knife bribe bribes leaked
racist racism suicidal suicide overdose harming husband boyfriend girlfriend partner violence abusive controlling
""".split())

GUARD = frozenset("""
abased abasing abreast abuse abuser abuses advantaged advantages agrees amused amusing aped apes aping arming
armrest arrests asexual asexually assaulter backsides backslide baked banker banner bantered banters barter bartered
battened batter baxter beaked bear bears beast beasts beater bettered binned blackmailer bleep bleeping blobs bobs
bombs boob booby books booms boons boors boos boots bottoms boyfriends brest brice bride brides brie brine broke
broker bulled bunched bunching bused bushed busing buttered caked canter caped capes cared caving changes charge
charged charger chargers charles charming cheat chess chests chid chile chili chill chocked chocking choke choker
chokes chowed chowing cinched cinching clapped coerce coerces coked cokes coking commend commends conformed consents
content contented convent cooked cooking corruptions corrupts couch couched couches couching crabbed crabbing crapes
creamed creed cress crest crier cries crouch crutch cryings culled daughters dear dears defied defies defused
defying denier deniers denims denis denise dented denting detained detainees dinned dint disable disables
discriminate discriminates dissed dissing domestics douched douches douching dragged drank draped drapes draping
dregs dressed dressy dried drink dross drubbed drubbing drudged drunks drying dubbed dubbing dulled dunk duress ears
eaten ever exchanged exchanges exist expose exposes exposures facially faked farming favors favour fear fears fever
fifteens finders finger fitness flapped flavours fondles fondly fondue force forces forded fording forged forging
forked forking formed forming foundling fourteens fractures fried frying fulled gabbed gabbing gaped gapes gaping
gassed gear gears geld genies genital gill gills ginned gird girds girlfriends girt girts grabber grain grape grapes
greed grin gripe griped gripes griping groan groins grooved grooving grouped grouping grove groves growing grown
grubbed grubbing gulled gushed haling halving hamming harding haring harking harping hating hawing haying hazing
head hear hears heaving heed hell helm help herd high highs hissed hissing hiving hold hospitalise hospitalises
hospitalized hospitals hulled hunched hunching husbands hushed inched inching informants insider insides intimated
intimates intoxicate intoxicates japed japes japing joke joker jokers jones joyed joying kicker kickers kinked
kinking kisser kisses knifed knifes knockers lapped laughter leaded leading leafed leafing leakey leaned leaning
leaped leaping lear leased leasing leaved leaving lept lever licked licking lingered lingers lulled lunched lunching
massages massed mattered meld message misogynists missed missing modest moles molesters mulled munched munching
mushed named napes narked near nears newer nicked nicking nipple noshing notching nothings noting nuked office
officers offices oked oking oman omen ouch overdoes overdone overdoses pajamas palled panned parsed partners passel
passer passes pasted pattered paused paving peaked peaking pear pears pends penes penetrates penetrations penned
pens phobos photo photon photons picked picking picture pictured piked pilled pinches pined pinged pinked pissed
pissing pitched pitching poisoner poked pokes poking polled pouch pouched pouches pouching press presses pressures
pried primate primates prisoners privater privatest probationers promotions prying puller pullet pulley pulped
pulsed punches punned purled pusher pushes raced races raciest racing racists radially raged rages raging raked
rakes raking ranter rape rapid rapine rapped rapping raps rared rares rarest raring rasped rasping rated rates
rating raved raves raving razed razes razing reaped reaping rear rears refusals refuse refuses refuted relationships
remark returns reused ribbed ribbing ricked ricking ringers ripples robbed robbing roman roomed rooming rope roped
ropes roping rubber rugged rushed sacked sacred sapped sassed saving savours scabbed scabbing scaled scare scares
scarfed scarred scored sear seared sears seep seeping sept sergeants sever sexiest sexism sexists shared shaving
sheep shirt shopped sicked sicking singers sinned skirts skit slabbed slabbing slacked sleek sleeking sleeps sleepy
sleet sleeting slipped slopped smacker smarted smocked snacked snaked snapped snared snickers soared sopped spared
spiced spied spike spikes spited squeeze squeezer squeezes stabbings stabled stabling stacked stared starred starter
startled starved stated steep steeping stepped stoked stoking stomped stooped stopper straggle straggled straggling
strange strangler strangles strapped streamed striking striped stripper stroke strokes stropped stubbed stubbing
students subbed subbing suicides swabbed swabbing swapped sweep sweeping swept swopped tabbed tabbing taped tapes
taping tattered tear tears teenage teenaged teenagers tented terrifies tested thirteens ticked ticking tinned
tipples toked tokes toking topped torch torched torches torching touchings touchy touché tough transphobia tress
tribe tribes tried tripped trope tropes troupers trouser trunk trying twelves underneaths undresses vaginae vaginal
vaped vapes vaping veld victims violet vitim vouch vouched vouches vouching vulnerably waked want warming waving
weapons wear wears weld wetness wicked winched winching wingers withdraw witless woken wotan woven yeah yeahs yearn
yearns yeas yeats yoked yokes yoking zingers
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
    if len(word) < 4 or word in VOCAB or word in GUARD or not word.isalpha():
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
        if len(word) < 4 or word in VOCAB:
            continue
        for key in _deletes(word) | {word}:
            if any(_one_edit(word, c) for c in _INDEX.get(key, ())):
                guard.add(word)
    return sorted(guard)


if __name__ == "__main__":
    print(" ".join(_neighbours_in(sys.argv[1:])))
