"""The safety-net rules, flag by flag. Each rule is an anchor pattern (the act or the sign) and, where the anchor alone
is not enough, a context that must appear in the same sentence or the one either side. The engine
(upstander/cases/safety_net.py) drops an anchor that is negated or denied in its clause ("he never touched me"), that
is the subject of a joke or remark ("a joke about rape"), or that names a topic ("rape training"). Patterns see
normalised text: lower case, straight apostrophes, misspellings of the key words corrected."""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import (
    BORDERLINE,
    CHILD,
    CHILD_SEXUAL,
    CLOTHING,
    COERCION,
    CONSENSUAL,
    INTIMATE,
    PARTNER,
    PERSON,
    PRONOUN,
    SEX_ACT,
    alt,
)

SSO = "serious_sexual_offence"
VIOLENCE = "serious_violence"
DOMESTIC = "domestic_abuse"
CORRUPTION = "corruption"
DISCRIMINATION = "discrimination"
SELF_HARM = "self_harm"


@dataclass(frozen=True)
class Rule:
    name: str
    flags: tuple[str, ...]
    pattern: str
    context: str | None = None  # must also occur in the anchor's sentence or a neighbouring one
    negatable: bool = True  # dropped when negated or denied in its clause
    remarks: bool = False  # dropped when it is what a joke, comment or message is about
    wishes: bool = False  # dropped when only said to be wanted ("said he'd like to touch her up")
    after: str | None = None  # dropped when this follows the anchor directly (a topic, a metaphor)
    before: str | None = None  # dropped when the anchor's clause ends with this just before it
    unless: str | None = None  # dropped when this, not negated, is in the anchor's sentence or a neighbour


CONTACT = alt(
    r"touch\w*", r"grab\w*", r"squeez\w*", r"rub\w*", r"strok\w*", r"pinch\w*", r"slap\w*", r"smack\w*", r"grop\w*",
    r"fondl\w*", r"caress\w*", r"felt", r"feel\w*", r"kiss\w*", r"lick\w*(?! (?:his|her|their) (?:own )?lips)", r"cupp?\w*", r"patt?\w*", r"press\w*",
    r"grind\w*", r"ground", r"poke?d?", r"prodd?\w*", r"brush\w*", r"spank\w*", r"bit", r"bite?s?", r"tickl\w*",
    r"(?:put|placed|stuck|shoved|forced|pushed|slid|ran|moved|reached|slipped|had|kept) (?:his|her|a|their) (?:hands?|fingers?|tongue)",
    r"(?:put|placed|pressed|held|pushed|pulled) (?:it|them|my hand|her hand|my hands|her hands)",
    r"hands? (?:was |were )?(?:on|in|inside|down|up|under|over|between|all over)",
    r"hands? (?:went|moved|wandered|crept|slid|made its way) (?:straight |right |up |down )?(?:for|to|up|down|onto|between|"
    r"inside|under)",
)
SOFT_CONTACT = alt(r"touch\w*", r"rub\w*", r"strok\w*", r"caress\w*", r"fondl\w*", r"squeez\w*",
                   r"feel\w*(?! (?:his|her|their) breath)",
                   r"(?:put|placed|slid|ran|moved|kept|had) (?:his|a) hands?", r"hands? (?:was |were )?(?:on|up)")
_NEAR = r"(?:\s+[\w']+){0,5}?\s+"  # up to five words between two parts of a pattern

SSO_RULES = [
    # Rape, in its spellings, slang and typos ("rapped me", "rpd", "SA'd"); also "raped" reported second-hand.
    Rule("rape", (SSO,), r"\b(?:rap(?:e|ed|es|ing|ist|ists)|rapeing|raep\w*|rpe[ds]?|rped|rapd|raype?d?)\b",
         remarks=True, before=r"^\s*(?:get|gets) $",  # "women who get raped ...": a generalisation
         after=alt("disclosures?", "investigations? (?:model|training|process|unit)", "jokes?", "joking", "threats?", "culture", "statistics", "stats", "training",
                                 "courses?", "awareness", "myths?", "scenes?", "seed", "victims", "allegations are",
                                 r"(?:and (?:serious )?sexual offen[cs]es? )?(?:investigations? )?(?:team|unit|squad|"
                                 r"department|investigators?)")),
    # "my rape case", "her sexual assault report": a specific offence against someone; "a rape case" is kept by the
    # rule above too, and only organisational uses (teams, training) are dropped.
    Rule("sexually violated", (SSO,), r"\bviolat(?:ed|ing) (?:me|her|him|them)\b(?! (?:privacy|rights|trust))|"
         r"\b(?:was|were|been|felt|being|got) (?:sexually )?violated\b(?! (?:my|her|his|the)? ?(?:policy|privacy|rights|"
         r"trust|confidentiality|code|rules|procedure))", remarks=True),
    Rule("euphemisms for rape", (SSO,), r"\b(?:push\w*|forc\w*|shov\w*|held|pull\w*) (?:my|her) head (?:down )?(?:into|"
         r"onto|to|towards|down to|in) (?:his )?(?:lap|crotch|groin|penis|dick|cock)|\binterfer\w* with (?:me|her|him|them|a child|children|kids|a girl|a boy)\b|"
         r"\bdid (?:what(?:ever)? he (?:wanted|liked)|things|stuff|sexual things|"
         r"unspeakable things) (?:with|to) (?:me|her)\b|\bhad his way\b|\b(?:was|were|being|been|got) penetrated\b|"
         r"\bpenetrated by\b", remarks=True),
    Rule("rapped (typo)", (SSO,), r"\b(?:rapp(?:ed|ing)) (?:me|her|him|them|us)\b(?! (?:on|over|across|with|for|about))",
         remarks=True),
    Rule("rapped (passive)", (SSO,), r"\b(?:was|were|been|got|being) rapp?ed\b(?! (?:on|over|across))"),
    Rule("sexual assault", (SSO,), r"\b(?:sexual(?:ly)?|indecent(?:ly)?) (?:assault\w*|abus\w*|attack\w*|violat\w*|"
         r"exploit\w*|molest\w*|touch\w*|offen[cs]\w*|contact without|activity without|act without)",
         remarks=True, after=alt("awareness", "training", "courses?", "unit", "team", "squad", "referral", "policy",
                                 "investigators?", "jokes?", r"act\b(?: 2003)?(?! \d)", "prevention", "victims")),
    Rule("assaulted sexually", (SSO,), r"\b(?:assault\w*|abus\w*|attack\w*|touch\w*|exploit\w*|violat\w*|hurt\w*|harm\w*|"
         r"us(?:ed|ing)) "
         r"(?:[\w'-]+ ){0,3}(?:sexually|indecently)\b"),
    Rule("SA'd", (SSO,), r"\b(?:sa'?d|sa'?ing)\b"),
    Rule("statute or unit slang", (SSO,), r"\b(?:s\.? ?[1-4]|section [1-4]) (?:soa|sexual offences act)\b|"
         r"\brasso (?:job|case|offence|allegation)|\b(?:taken|referred|went|go|attended) to (?:the )?(?:sarc|haven)\b|"
         r"\bearly evidence kit\b|\bassault\w* by penetration\b|\bnon[- ]?consensual (?:sex|sexual|intercourse|touching|"
         r"kiss\w*|contact)", negatable=True),
    Rule("penetration", (SSO,), r"\b(?:digital(?:ly)? )?penetrat\w+ (?:me|her|him|them|us|with|vaginally|anally|"
         r"orally|digitally)|\bdigital(?:ly)? penetrat\w+"),
    Rule("fingered", (SSO,), rf"\bfinger(?:ed|ing)? {PERSON}\b(?! (?:as|for|out))|"
         r"\b(?:put|stuck|pushed|forced|shoved|inserted) (?:his|a|their) fingers? (?:in|inside|into|up)\b"),
    Rule("groped, fondled, molested", (SSO,), r"\b(?:grop\w*|fondl\w*|(?<!non-)(?<!non )molest\w*|copp?(?:ed|ing)? a feel)\b",
         remarks=True, wishes=True),
    Rule("touched up, felt up", (SSO,), rf"\b(?:touch\w*|fe(?:lt|el\w*)) (?:{PERSON} )?up\b|\b(?:was|got|been|being) "
         r"(?:touched|felt) up\b", remarks=True, wishes=True),
    Rule("forced himself", (SSO,), r"\bforc\w+ (?:him|her|them)(?:self|selves)? ?(?:on|onto|upon|into)\b|"
         r"\bhad (?:his|her) (?:wicked )?way with\b|\btook advantage of (?:me|her|him)\b(?= .*\b(?:drunk|asleep|"
         r"unconscious|passed out|sexual\w*|bed|vulnerable))", remarks=True),
    Rule("hands all over", (SSO,), rf"\bhands? (?:were |was )?all over (?:{PERSON}|the)\b|\bwandering hands\b|"
         r"\b(?:was|were|got|get|is) all over (?:me|her)\b|\bhands everywhere\b|"
         r"\bcouldn't keep his hands (?:off|to himself)|\bhandsy\b|\b(?:touch|search|rubb|strok|grabb|felt|handl|frisk|patt|massag|hugg|held|hold)\w*\b[^.!?]{0,80}?\bin a sexual "
         r"(?:manner|way)\b|\btouchy[- ]?feely\b|\b(?:inappropriate(?:ly)?|unwanted|"
         r"sexual|intimate) (?:physical )?(?:touch\w*|contact|fondl\w*|kiss\w*)|\btouch\w* (?:[\w'-]+ ){0,5}?(?:"
         r"inappropriately|sexually|intimately|indecently|without (?:my|her|his|their) consent|against (?:my|her) will)",
         remarks=True, wishes=True),
    # Touching a sexual part of the body, or a hand inside or under clothing.
    Rule("contact with intimate part", (SSO,), rf"\b{CONTACT}{_NEAR}(?:(?:my|her|his|their|the|a|one of|on the|"
         rf"on her|on my|in the|in her|in my|at my|at her|\w+'s) )?(?<!own ){INTIMATE}\b", remarks=True, wishes=True),
    Rule("contact with thigh or leg", (SSO,), rf"\b{SOFT_CONTACT}{_NEAR}(?:my|her) {BORDERLINE}\b",
         remarks=True, wishes=True),
    # A hand under or inside clothing ("hand down the front of my jeans"); filming up a skirt is not contact.
    Rule("hand under clothing", (SSO,), rf"\b(?:into|inside|down|under) (?:the )?(?:top|waistband|back|front|inside) of "
         rf"(?:my|her) {CLOTHING}\b|"
         rf"\b(?:hands?|fingers?|reach\w*|slipp?\w*|slid|stuck|put it|got)(?: [\w']+){{0,2}} "
         rf"(?:up|down|inside|under|in|into|beneath) (?:[\w']+ ){{0,4}}?{CLOTHING}\b|\b(?:put|stuck|slid|shoved|forced|"
         r"pushed|slipped) (?:his|a) (?:hands?|fingers?) (?:inside|in)(?: (?:me|her|them))?(?=[ .,;!]|$)(?! (?:the|a|his|"
         r"my|her|their|its|your) )", remarks=True, wishes=True),
    Rule("pressed himself against", (SSO,), rf"\b(?:rubb\w*|press\w*|ground|grind\w*|push\w*) (?:(?:him|her)self|his "
         rf"(?:body|crotch|groin|erection|penis|hips)|{INTIMATE}) (?:up )?(?:against|into|onto|on)\b|"
         r"\bgrind(?:ing|ed|s)? (?:on|against|up)\b|\bground (?:on|against) (?:me|her)\b", remarks=True, wishes=True),
    Rule("undressed", (SSO,), rf"\b(?:pull\w*|took|tak\w*|ripp?\w*|tore|tear\w*|yank\w*|undid|undo\w*|unbutton\w*|get|got|"
         rf"getting|unzip\w*|lift\w*|remov\w*|slid|push\w*) (?:down |off |up )?(?:my|her) (?:{CLOTHING}|belt|zip|flies)(?: \w+)? "
         rf"(?:down|off|up|open|aside|to one side|to the side)\b|\b(?:pull\w*|push\w*|mov\w*) (?:my|her) "
         r"(?:knickers|underwear|pants|panties|bra|skirt|dress) (?:aside|to one side|to the side|down|up|off)\b|\b(?:pull\w*|took|tak\w*|ripp?\w*|tore|tear\w*|yank\w*|remov\w*|slid|lift\w*) "
         r"(?:down|off|up) (?:my|her) (?:[\w']+ )?(?:clothes|underwear|knickers|pants|panties|bra|skirt|dress|top|"
         r"trousers|jeans|tights|shirt|nightie)\b|\b(?:unzip\w*|undid|undo\w*|unbutton\w*|unhook\w*|unfasten\w*) "
         r"(?:my|her) (?:jeans|trousers|bra|dress|top|shirt|blouse|flies|belt|zip|fly)\b|\b(?:remov\w*|took|tak\w*) "
         r"(?:off )?(?:my|her) (?:underwear|knickers|pants|panties|bra)\b|\bundress\w* (?:me|her)\b(?! with (?:his|her|their) eyes)|\b(?:tried|try|trying|attempt\w*) to (?:undress|"
         r"undo|unbutton|unzip) (?:me|her|my|her)\b|\b(?:ripp\w*|tore) (?:my|her) (?:clothes|top|dress|underwear)",
         remarks=True, wishes=True),
    Rule("kiss forced or tried", (SSO,), rf"\bkiss\w* (?:{PERSON} )?(?:[\w']+ ){{0,3}}(?:against (?:my|her|his) will|"
         r"without (?:my|her|his)? ?consent|on the (?:mouth|lips|neck)|(?:my|her) (?:neck|mouth|lips|body|ear))|"
         rf"\b(?:tried|try|tries|trying|attempt\w*|lunged|went) (?:[\w']+ )?to kiss\b(?! (?:me |her |him )?on the cheek)|"
         r"\bsnog\w*|\bforc\w* (?:a )?kiss\w*|"
         rf"\bforc\w* (?:me|her|him) to kiss|\bforc\w* (?:his|her) tongue|\bkiss(?:ed|ing) (?:me|her)\b(?! on the cheek)|"
         rf"\bkissed (?!(?:his|her) (?:wife|girlfriend|partner|husband|boyfriend|fianc\w+|mum|mother|kids?|children|son|"
         rf"daughter|baby)){PERSON}(?=[ .,;!]|$)(?! on the cheek)",
         remarks=True, wishes=True),
    # A plain "he touched me" is a complaint of touching; "touched my arm" or "touched on the subject" is not.
    Rule("touched a person", (SSO,), rf"\btouch(?:ed|es|ing)? {PERSON}\b(?! (?:[\w']+ ){{0,3}}(?:arm|arms|shoulders?|"
         r"hands?|elbows?|back|head|hair|face|cheek|wrists?|feet|foot|deeply|greatly|so much|by (?:his|her|the)|base|"
         r"upon|on the (?:subject|matter|issue|point|topic))\b)(?! (?:phone|desk|radio|screen|car|bag|keys|computer|"
         r"laptop|files?|paperwork|food|stuff|things|equipment|kit|belongings|property|case|notebook|pen|drink|"
         r"coffee|lunch|work|display|door|vest|uniform|cheek)\b)", remarks=True, wishes=True),
    Rule("touched (passive)", (SSO,), r"\b(?:was|were|been|being|got|get) (?:[\w']+ )?touch(?:ed)? (?:[\w']+ ){0,2}"
         r"(?:by (?:him|a|an|the|my|that|this|two|several|one|another|officers?|\w+ (?:officer|sergeant|pc|man|male|"
         r"inspector|colleague))|inappropriately|sexually|without|against|while|on (?:my|her) (?!arm|shoulder|hand|back))",
         remarks=True, after=alt("gesture", "kindness", "words", "support", "card", "flowers")),
    Rule("made to perform", (SSO,), rf"\b(?:made|make|makes|making|forc\w*|pressur\w*|coerc\w*|bull(?:ied|y)|"
         r"blackmail\w*|threaten\w*|tricked) (?:me|her|him|them|us|\w+ \w+) (?:(?:in)?to )?(?:have sex|sleep with|perform|"
         r"give (?:him|her)|suck|touch (?:him|his|her|it)|kiss (?:him|her)|strip|undress|masturbat\w*|wank|go down|"
         r"(?:do|perform) (?:a |an |sex|sexual|oral|things)|hold (?:his|him)|watch (?:him|porn)|lie on|get into bed|"
         r"sex|oral|a sex|into sex|into sleeping|into bed|have intercourse)|\b(?:put|placed|pulled|guided) (?:my|her) "
         rf"hand (?:on|onto|to|down|inside) (?:his|him) ?(?:{INTIMATE}|trousers|pants|lap)?|\b(?:forc\w*|push\w*|press\w*|"
         rf"held|grabb\w*|took|pull\w*) (?:my|her) hands? (?:on|onto|to|down|inside|into|against) (?:his|him)"),
    Rule("on top, woke up", (SSO,), r"\b(?:got|climbed|was|were|lay|lying|jumped|is|'s|getting|climbing) on top of "
         r"(?:me|her)\b|\b(?:got|climbed|get|getting) on (?:me|her)\b(?! (?:about|case|back|nerves))|"
         r"\bbent (?:me|her) over\b|\b(?:push\w*|threw|throw\w*|pinn\w*|forc\w*|held|dragg?\w*|shov\w*|carried|"
         r"pull\w*) (?:me|her) (?:down )?(?:on|onto|into|to|in|on to) (?:the|his|my|her|a) (?:bed|bedroom|bunk|mattress)\b|"
         r"\bwok(?:e|en) up (?:[\w']+ ){0,3}(?:naked|undressed|with (?:my|her|no) (?:clothes|underwear|knickers|pants|"
         r"trousers|memory)|with (?:his|him|a man)|in (?:his|a stranger's) (?:bed|room|flat|car|hotel)|next to him)|"
         r"\bwok(?:e|en) up (?:[\w']+ ){0,2}(?:on top of|inside|having sex)"),
    Rule("stealthing", (SSO,), r"\b(?:removed|took off|didn't use|did not use|refused to (?:use|wear)|without) "
         r"(?:a |the )?condom\b|\bcondom (?:off|removed)", negatable=False),
    # Drink spiking is overwhelmingly a step to a sexual assault; flagged so that a handler looks.
    Rule("spiking", (SSO,), r"\bspik(?:ed|ing|e)\b|\b(?:put|slipped|added) (?:something|a pill|drugs|\w+) in(?:to)? "
         r"(?:my|her|their|the) (?:drink|glass|pint|coffee|wine)|\bdrugg(?:ed|ing) (?:me|her|my drink|her drink)",
         after=alt(r"hair", r"fence", r"heels?", r"wheel", r"in (?:cases|reports)")),
    # A sexual act and force, no consent, incapacity, a threat or an abused position near it.
    # "He'll tell everyone I slept with him if I don't cover his shifts": a threatened rumour, not an account.
    Rule("sex with coercion", (SSO,), rf"\b{SEX_ACT}", context=COERCION, remarks=True, wishes=True, unless=CONSENSUAL,
         before=r"\b(?:tell|telling|tells|told|say|saying|says|spread\w*|claim\w*) (?:everyone|everybody|people|others|the "
                r"(?:team|lads|station|shift|office|whole \w+))(?: that)?(?: (?:i|she|he|we|they)(?:'d| had)?)? $"),
    # Sexual words near force, incapacity or violation, whatever the act ("forced me onto the bed naked").
    Rule("sexual content with force", (SSO,), r"\b(?:sex\b|sexual(?:ly)?\b(?! (?:comments?|remarks?|jokes?|messages?|"
         r"texts?|harass\w*|innuendo|banter|orientation|images?|pictures?|photos?|content|references?|advances|nature|"
         r"health|offen[cs]es act|gestures?|language|talk))|shag\w*|intimate\w*|naked|nude\b|penis|erection|"
         r"genitals?|vagina|knickers|underwear|crotch|groin|privates|condom)",
         context=r"\b(?:forc\w*|against (?:my|her) will|without (?:my|her) consent|(?:didn't|did not|never) consent\w*|"
                 r"non-?consensual|held (?:me|her) down|pinn\w+|restrain\w*|couldn't move|could not move|too drunk|"
                 r"passed out|unconscious|asleep|blacked out|black out|terrified|scream\w*|froze|violat\w*|exploit\w*|"
                 r"coerc\w*|blackmail\w*|off (?:my|her) face|out of it|(?:didn't|did not) want (?:it|to|him|that))",
         remarks=True, wishes=True, unless=CONSENSUAL),
    # Sexual activity with a child.
    Rule("child", (SSO,), rf"\b{CHILD_SEXUAL}", context=CHILD, remarks=True, wishes=True,
         after=alt("training", "policy", "awareness", "course", "unit", "team")),
    # Non-consent followed by carrying on ("I said no but he did it anyway", "he kept going after I said stop").
    # "Tried it on" (made a pass) is only a pass, unless force or grabbing came with it.
    Rule("tried it on with force", (SSO,), r"\b(?:tr(?:ied|ying|ies|y)|kept trying) it on\b",
         context=r"\b(?:grab\w*|forc\w*|pinn\w*|held (?:me|her)|touch\w*|kiss\w*|grop\w*|(?:wouldn't|would not|won't) "
                 r"take no|all over (?:me|her)|on top of)"),
    # A threat for refusing sex ("said if I didn't sleep with him I'd regret it").
    Rule("threat for refusing sex", (SSO,), r"\b(?:if|unless) (?:i|she|he|they|you) (?:didn't|did not|wouldn't|would not|"
         r"don't|do not|refused to|won't) (?:sleep|have sex|give him|go to bed|do (?:it|what he|as he))\b", negatable=False),
    Rule("carried on after no", (SSO,), r"\b(?:said no|say no|saying no|said stop|said no (?:[\w']+ ){0,3}times|(?:told|tell\w*|begg\w*) him (?:no|to stop)(?! \w+ing)|"
         r"asked him to stop(?! \w+ing)|(?:didn't|did not|never) (?:consent|agree to (?:it|any of it|this|that)))\b",
         context=r"\b(?:kept going|carried on|did it anyway|went ahead|didn't stop|did not stop|wouldn't stop|anyway|"
                 r"(?:didn't|did not|wouldn't|would not) listen|ignored (?:me|it|her|that|my))\b",
         negatable=False),
]

# Sex demanded for a favour, or a favour offered for sex: both a sexual offence (by abuse of position) and corruption.
SSO_CORRUPTION_RULES = [
    Rule("sex for favours", (SSO, CORRUPTION), rf"\b(?:{SEX_ACT}|sexual(?:ly)?\b|(?:touch\w*|fe(?:el|lt)) (?:me|her) up\b)",
         remarks=True,
         context=r"\b(?:in (?:exchange|return) for|for (?:not|dropping|letting|keeping|sorting|getting)|"
                 r"(?:let|letting) (?:me|her|him|them) off|drop(?:ped)? (?:the )?charges?|case dropped|"
                 r"(?:would|'d|will|could) (?:drop|let|sort|make|keep|get|help|pay|not arrest|not charge)|keep paying|"
                 r"unless (?:i|she|he|they)|or (?:she|i|he)(?:'d| would| will|'ll)? be arrested|"
                 r"(?:not to|wouldn't|would not) (?:arrest|charge|report|nick)|threatening to arrest|to avoid|"
                 r"if (?:she|i|he|they) want\w* (?:him |me |her |them )?to|keep investigating|if (?:i|she|he) "
                 r"(?:slept|had sex|gave|did|would|let)\b|as long as (?:i|she|he|they)|only (?:if|as long as)|"
                 r"(?:keep|kept) (?:getting )?paid|sign(?:ed)? off|wouldn't get (?:done|nicked|arrested|charged)|"
                 r"the price|want\w* (?:my|her|his|their) [\w']+ back|go away|promis\w* (?:her|me|him|them) (?:money|cash|"
                 r"drugs|a job|promotion|that (?:her|my|his|the) (?:charges?|case)))"),
    Rule("if you sleep with me", (SSO, CORRUPTION),
         r"\b(?:if|unless) (?:i|she|he|they|you) (?:would )?(?:sleep|slept|had sex|have sex|gave him|give him|"
         r"went to bed|performed|did (?:something|stuff|things) for him)\b", negatable=False),
    Rule("sex as payment", (SSO, CORRUPTION), r"\b(?:sex|sexual favou?rs?) (?:for|as) (?:favou?rs|payment|money|"
         r"promotion|a pass|information|not being|his help)|\bdemand\w* (?:oral )?(?:sex|sexual favou?rs)|"
         r"\b(?:solicit\w*|ask\w*|offer\w*) (?:[\w']+ )?(?:for )?(?:sex|sexual favou?rs) (?:in|from|for|as)"),
]

_WEAPON = alt(r"knife", r"knives", r"knifed", r"machete", r"blade", r"bladed", r"guns?", r"gunpoint", r"firearms?",
              r"pistol", r"shotgun", r"rifle", r"tas(?:er|ered|ering|ed|ered)", r"tazed", r"tazer\w*", r"baton\w*",
              r"hammer", r"crowbar", r"machete", r"weapons?", r"acid", r"axe", r"cosh", r"knuckle[- ]?dusters?")
_BLOW = alt(r"punch\w*", r"kick\w*", r"hit\w*", r"beat\w*", r"stamp\w*", r"stomp\w*", r"headbutt\w*", r"smash\w*",
            r"slamm?\w*", r"batter\w*", r"pummel\w*", r"boot\w*", r"thump\w*", r"struck", r"strik\w*", r"elbow\w*")
_VICTIM = alt(PRONOUN, r"(?:a|the|my|his|her|their|this|that) (?:[\w']+ ){0,2}(?:m[ae]n|wom[ae]n|boy|girl|prisoner|"
              r"detainee|suspect|lad|teenager|kid|child|brother|son|sister|daughter|husband|wife|partner|person)")
VIOLENCE_RULES = [
    # Weapons used, drawn or threatened; metaphors ("stabbed me in the back", "a shot at promotion") excluded.
    Rule("weapon", (VIOLENCE,), rf"\b{_WEAPON}\b", after=alt(r"crime", r"awareness", r"amnesty", r"arch", r"training",
         r"course", r"licen[cs]e", r"cabinet", r"safe", r"store", r"locker", r"certificate", r"refresher", r"qualification",
         r"trained", r"officers?", r"team", r"unit")),
    Rule("stabbed, shot, glassed", (VIOLENCE,), r"\bstabb?(?:ed|ing|s)?\b(?! (?:me|him|her|them|us) in the back\b)|"
         r"\bshot (?:dead|at|him|her|me|them|a|the|someone|somebody|\w+ in the)\b(?! (?:promotion|the job|goal))|"
         r"\bshoot(?:ing|s)? (?:him|her|me|you|them|someone|a|the|dead)\b|\bglass(?:ed|ing)\b|\bbottl(?:ed|ing)\b(?! up)"),
    Rule("serious injury", (VIOLENCE,), r"\b(?:broken|broke|fractur\w*|cracked|dislocat\w*|shattered) (?:[\w']+ ){0,2}?"
         r"(?:bones?|nose|jaw|arm|ribs?|legs?|wrist|fingers?|cheekbone|eye socket|collarbone|neck|back|teeth|tooth|"
         r"skull|hand|ankle|knee|shoulder|hip|elbow)\b|\bfractur\w*|\bconcuss\w*|"
         r"\b(?:knocked|beaten|left|lay|lying|found|rendered|until (?:he|she|i|they) (?:was|were)) (?:[\w']+ )?"
         r"unconscious\b|\bcoma\b|"
         r"\bknock\w* (?:[\w']+ )?(?:out cold|out)\b(?! of)|\bknocked (?:him|her|me|them|\w+) out\b|\bstitches\b|"
         r"\binternal (?:injuries|bleeding)|\bserious(?:ly)? (?:injur\w*|hurt|wound\w*)|\blife[- ]changing|"
         r"\bbrain (?:injury|damage)|\blost (?:[\w']+ )?(?:teeth|tooth|an eye|consciousness)|\bblack and blue\b|"
         r"\bcovered in (?:blood|bruises)|\bbleeding (?:heavily|badly|from (?:his|her|my|the) head)|"
         r"\bbleed(?:ing)? on the brain|\bbrain (?:bleed|haemorrhage|hemorrhage)"),
    # Hospital after violence; "in hospital with stress" is not an injury.
    Rule("hospital", (VIOLENCE,), r"\b(?:taken|rushed|went|go|admitted|ended up|ending up|put [\w']+|left [\w']+|needed|"
         r"taken straight) (?:to |in )?(?:the )?(?:hospital|a&e|a and e|intensive care|icu)\b|\bhospitali[sz]\w*|"
         r"\bintensive care\b", after=r"(?:with|for|because of|due to) (?:[\w']+ )?(?:stress|anxiety|depression|panic|"
         r"exhaustion|a breakdown|mental|chest pains?|an illness|illness|covid|flu)"),
    # Blunt objects used as weapons ("smashed a bottle over his head").
    Rule("improvised weapon", (VIOLENCE,), r"\b(?:smash\w*|broke|hit\w*|struck|strik\w*|beat\w*|attack\w*|threaten\w*|"
         r"bashed|whack\w*|clubb\w*) (?:[\w']+ ){0,5}?(?:with|over|on|across) (?:a|an|the|his|her|my) (?:[\w']+ )?"
         r"(?:bottle|glass|chair|brick|bat|torch|stick|rock|stone|bar|pipe|iron|spanner|hammer|baton|plank|"
         r"fire extinguisher|radio|cuffs|handcuffs)\b|\b(?:smash\w*|broke|brought|swung|threw|thrown) (?:a|an|the|his|her) "
         r"(?:[\w']+ )?(?:bottle|glass|chair|brick|bat|torch|stick|rock|stone|bar|pipe|hammer|baton) (?:over|on|across|"
         r"into|at) (?:[\w']+ ){0,2}?(?:head|face)"),
    Rule("strangulation", (VIOLENCE,), r"\bstrangl\w*|\bthrottl\w*|\bchok(?:ed|ing|es|e)\b(?! (?:up|on (?:his|her|my|a|"
         r"the) (?:food|drink|words|tea|coffee|sandwich))| back)|\bchoke ?holds?\b|\bneck ?holds?\b|\bheadlock\b|"
         r"\b(?:hands?|arms?|knee|fingers) (?:[\w']+ )?(?:round|around|on|across) (?:my|his|her|their|the \w+'s|\w+'s) "
         r"(?:neck|throat)|\bby the (?:throat|neck)\b|\bknelt on (?:[\w']+ ){0,2}(?:neck|chest)|"
         r"\b(?:couldn't|could not|can't|cannot|unable to) breathe\b|\b(?:press\w*|squeez\w*|grabb\w*|knelt|kneel\w*|"
         r"stood|sat|stamp\w*) on (?:his|her|my|their|the [\w']+|[\w']+'s) (?:neck|throat)|\buntil (?:he|she|i|they) "
         r"(?:passed out|went limp|lost consciousness|stopped breathing|turned blue)|\bsuffocat\w*|\bsmother\w*|"
         r"\bnon[- ]fatal strangulation\b|\bnfs\b"),
    Rule("repeated or savage blows", (VIOLENCE,), rf"\b{_BLOW} (?:{_VICTIM} )?(?:[\w']+ ){{0,4}}(?:repeatedly|again and "
         r"again|over and over|several times|multiple times|\d+ times|(?:two|three|four|five|six|a few|a couple of) times|many times|until|while (?:he|she|i|they) "
         r"(?:was|were|lay) (?:on the (?:ground|floor)|down|handcuffed|restrained)|when (?:he|she|i|they) (?:was|were) "
         r"(?:on the (?:ground|floor)|down|handcuffed)|in the head|senseless|unconscious|to a pulp|so (?:hard|badly))|"
         rf"\b(?:again and again|repeatedly) {_BLOW}|\bkept {_BLOW}|\bbeat(?:en|ing)? (?:{_VICTIM} )?up\b|"
         r"\bbeat(?:en|ing)? (?:[\w']+ ){0,2}(?:badly|severely|savagely|to death|so badly|black and blue)|\bbattered\b|"
         r"\bbattering\b|\b(?:stamp|stomp)(?:ed|ing|s)? on\b|\bheadbutt\w*|\bkick\w* (?:[\w']+ ){0,2}(?:head|face) in\b|"
         r"\bkick\w* (?:(?:him|her|me|them) )?in the (?:head|face|stomach|ribs)|\b(?:kicked|beat|knocked) the "
         r"(?:shit|hell|crap|living daylights) out|\bkicking (?:him|her|me|them) (?:on|while)"),
    Rule("death or threat to kill", (VIOLENCE,), r"\b(?:died|death|dead)\b (?:[\w']+ ){0,3}(?:in custody|after (?:being )?"
         r"(?:restrained|arrested|tasered|hit|punched|the arrest|police)|following (?:[\w']+ )?(?:arrest|restraint|contact|"
         r"police))|\bdeath in custody\b|\bkilled (?:him|her|a|the|someone|somebody|my|his|them)\b|"
         r"\b(?:tried|try|trying|attempt\w*|could have|almost|nearly) (?:to )?kill(?:ed)? (?:him|her|me|them|us)\b|"
         r"\bmurder\w*|\bmanslaughter\b|\bnearly killed\b|\bthreat\w* (?:[\w']+ ){0,2}to (?:kill|stab|shoot|murder)|"
         r"\b(?:going to|gonna|will|i'll|i'd|he'd|he'll) (?:kill|stab|shoot|murder) (?:me|you|her|him|them)\b",
         after=alt("time", "yourself", "myself", "himself", "herself")),
    Rule("death after force", (VIOLENCE,), r"\b(?:died|dead|death|killed|passed away)\b",
         context=r"\b(?:fight\w*|restrain\w*|assault\w*|punch\w*|hit|attack\w*|struggl\w*|arrest\w*|tasered|stabb\w*|"
                 r"shot|beat\w*|kick\w*|custody|pursuit|chase)", after=r"(?:laughing|of (?:boredom|embarrassment))"),
    Rule("statute slang", (VIOLENCE,), r"\b(?:gbh|abh|s ?18|s ?20|s ?47|section (?:18|20|47)|wounding|grievous bodily "
         r"harm|actual bodily harm|attempted murder)\b"),
]

_ABUSE = alt(
    r"hit\w*", r"beat\w*", r"punch\w*", r"slap\w*", r"kick\w*", r"push\w*", r"shov\w*", r"strangl\w*", r"chok\w*",
    r"throttl\w*", r"assault\w*", r"attack\w*", r"abus\w*", r"violen\w*", r"threat\w*", r"intimidat\w*",
    r"controll?ing", r"controls? (?:my|her|his|all|everything|the money|what|where|who)", r"stalk\w*", r"harass\w*",
    r"track\w*", r"monitor\w*", r"check(?:s|ed|ing)? (?:my|her|his) (?:phone|messages|location)", r"isolat\w*",
    r"terrified", r"scared", r"frightened", r"afraid", r"bruis\w*", r"black eye", r"rap(?:e|ed|ing)", r"forc\w*",
    r"locked (?:me|her|him) (?:in|out)", r"(?:won't|wouldn't|doesn't|does not|will not) let (?:me|her|him)",
    r"tak\w* (?:my|her|his) (?:money|wages|card|phone|keys|passport)", r"take the (?:children|kids)",
    r"turn(?:ing|s|ed)? up at (?:her|my|his)", r"broke (?:my|her|his)", r"hurt\w*", r"non-?mol\w*", r"restraining order",
    r"injunction", r"protection order", r"sexual(?:ly)? assault\w*", r"knife", r"guns?", r"weapon", r"throat",
    r"neck", r"look\w* up (?:her|his|my)", r"new address", r"follow\w*", r"stranglehold", r"refuge", r"thr[eo]w\w* (?:me|her|him)", r"kill\w*",
    r"driv\w* past", r"turn\w* up", r"texts? (?:her|me) (?:constantly|all the time|abuse)", r"did it anyway",
    r"against (?:my|her|his) will", r"without (?:my|her|his) consent",
)
DOMESTIC_RULES = [
    # Domestic abuse named directly, in words or in the police's shorthand.
    Rule("named directly", (DOMESTIC,), r"\bdomestic (?:abuse|violence|assault|incidents?|altercation|disputes?|"
         r"call[- ]?outs?|callouts?|abuser)\b|\bdv\b|\bcoercive(?: and)? control\w*|\bcontrolling (?:and coercive )?"
         r"behaviou?r|\bnon[- ]molestation\b|\bdvp[on]s?\b|\bclare'?s law\b|\bmarac\b|\bhonou?r[- ]based\b|"
         r"\bforced marriage\b|\bdomestic\b(?= (?:abuse|violence) (?:by|from|at the hands of) (?:him|her|my|his))|\brevenge porn\b|\b(?:arrested|nicked|charged) (?:[\w']+ ){0,2}for (?:a )?domestic\b|"
         r"\b(?:a|the) domestic at (?:his|her|their|the) ",
         after=alt(r"(?:call|job|report)s? (?:and|but)", "training", "courses?", "unit", "team", "policy", "champion",
                   "awareness", "charity", "services", "specialist", r"victims?"),
         before=r"\bvictims? of (?:a |an )?$|\b(?:i|she|he|they) (?:had )?(?:reported|disclosed) (?:the |a |an )?$"),
    # A partner or former partner and violence, threats, fear or control around them.
    Rule("partner and abuse", (DOMESTIC,), rf"\b{PARTNER}\b", context=rf"\b{_ABUSE}", negatable=False,
         after=alt("works", "is also", "and i work")),
    # Coercive control described without naming the relationship.
    Rule("coercive control", (DOMESTIC,), r"\b(?:won't|wouldn't|doesn't|does not|will not) let (?:me|her) (?:see|go|"
         r"leave|have|talk|work|out)\b|\btells? (?:me|her) what to (?:wear|eat|do)|\bcontrols? (?:all (?:of )?)?"
         r"(?:my|her) (?:money|finances|wages|phone)|\bchecks? (?:my|her) phone|\bthreat\w* to take (?:the|my|her|our) "
         r"(?:children|kids)|\bif (?:i|she) (?:ever )?leaves? (?:him|her)|\bthreat\w* to (?:kill|hurt) (?:him|her)self "
         r"if (?:i|she) (?:left|leave)"),
]

_MONEY = alt(r"cash", r"money", r"paid", r"pay(?:s|ing|ment|ments)?", r"quid", r"£ ?\d+", r"\d+ (?:pounds|quid|grand)",
             r"fifty", r"a tenner", r"gifts?", r"free (?:meals?|food|drinks?|tickets?|holidays?|entry|stuff)", r"for free",
             r"discount\w*", r"favou?rs?", r"envelope")
_SYSTEM = alt(r"pnc", r"niche", r"athena", r"storm", r"police (?:national )?computer", r"police (?:database|systems?|"
              r"records|intelligence)", r"the (?:database|system|intelligence system|records system|computer)",
              r"crime reports?", r"command and control", r"intel(?:ligence)? (?:system|database|reports?)")
_PERSONAL = alt(r"friends?", r"mates?", r"cousins?", r"relatives?", r"brother", r"sister", r"family", r"neighbou?rs?",
                r"ex(?:-\w+)?", r"girlfriend", r"boyfriend", r"wife", r"husband", r"partner", r"dat(?:e|ing)",
                r"dating app", r"(?:a )?wom[ae]n he", r"personal", r"no policing purpose", r"curiosity", r"nos(?:e)?y",
                r"without (?:a )?(?:policing|lawful|legitimate|proper) (?:purpose|reason)", r"private investigators?",
                r"journalists?", r"the press", r"gang", r"criminals?", r"dealers?")
CORRUPTION_RULES = [
    Rule("bribes and kickbacks", (CORRUPTION,), r"\b(?:brib\w+|backhanders?|bungs?|kickbacks?|brown envelopes?|"
         r"on the take|bent (?:copper|cop|officer)s?|corrupt(?:ion|ly)?|extort\w*|bungs? from)\b",
         after=alt("training", "awareness", "policy", "unit", "course")),
    Rule("paid to do or not do", (CORRUPTION,), rf"\b{_MONEY}\b",
         context=r"\b(?:to|for|in (?:exchange|return)(?: for)?) (?:[\w']+ ){0,2}(?:look(?:ing)? the other way|turn(?:ing)? a "
                 r"blind eye|los(?:e|ing)|drop\w*|destroy\w*|make \w+ (?:[\w']+ ){0,4}(?:go away|disappear)|go away|ignor\w*|"
                 r"not (?:arrest|charge|prosecute|report|nick|search)\w*|let\w* (?:him|her|them|me|\w+) off|leav\w* "
                 r"(?:him|her|them|us) alone|tip\w* (?:him|her|them) off|information|intel\w*|details|names?|addresses|"
                 r"records|checks?|warn\w*|keep\w* quiet)|\bwarrant card\b|\bin return for\b"),
    Rule("paid off, gifts", (CORRUPTION,), r"\bpaid (?:off )?by (?:a|an|the|local|some|his) |\bpaid (?:him|her|them) off\b|"
         r"\bon (?:the|a|his) [\w']+'?s? payroll\b|\b(?:accept\w*|took|tak\w*|receiv\w*|get|gets|got|getting) "
         r"(?:[\w']+ ){0,2}(?:gifts?|free [\w']+|hospitality|holidays?|cash|money|payments?|envelopes?) (?:from|off)\b|"
         r"\ba cut of\b|\b(?:share|percentage) of the (?:money|profits|takings|cash)"),
    Rule("leaked information", (CORRUPTION,), r"\bleak\w* (?:[\w']+ ){0,3}(?:information|info|intel\w*|details|names?|"
         r"files?|footage|statements?|documents?|to (?:the press|a journalist|the media|a gang|criminals|his|her|a))|"
         r"\btip(?:ped|s|ping)? (?:[\w']+ ){0,2}off\b|\bwarn\w* (?:[\w']+ ){0,3}(?:about|that|of) (?:[\w']+ ){0,4}?"
         r"(?:raid|warrant|search|arrest|operation|investigation|surveillance)s?\b|\b(?:gave|give|giving|passed|handed|"
         r"sent|told) (?:[\w']+ ){0,2}(?:the )?(?:address|details|name|location|whereabouts|identity) of (?:a|the) "
         r"(?:witness|victim|informant|complainant|source|protected)|\bpass(?:ed|ing|es)? (?:on )?(?:police |confidential )?(?:information|"
         r"intel\w*|details|names?) (?:to|about)|\bs(?:old|ell\w*) (?:[\w']+ ){0,2}(?:information|intel\w*|details|data|"
         r"records|names)|\b(?:gave|give|giving|shared|sharing|passed) (?:[\w']+ ){0,2}(?:confidential|police|intel\w*|"
         r"information|details|data) (?:to|with) (?:his|her|a|the) (?:[\w']+ )?(?:friend|mate|cousin|brother|family|gang|"
         r"dealer|criminal|journalist|press|private investigator)s?"),
    Rule("police systems for private ends", (CORRUPTION,), rf"\b{_SYSTEM}\b", context=rf"\b{_PERSONAL}\b"),
    Rule("looked someone up", (CORRUPTION,), r"\b(?:look\w*|ran|run\w*|did|search\w*|check\w*) (?:up )?(?:a |the )?"
         r"(?:pnc |police |intel )?(?:checks? )?(?:on )?(?:his|her) (?:ex|new partner|neighbou?r|girlfriend|boyfriend|"
         r"wife|husband|partner|date|friend|daughter's boyfriend)"),
    Rule("drugs and exhibits", (CORRUPTION,), r"\b(?:sell\w*|sold|stole|steal\w*|pocket\w*|kept|keep\w*|took|tak\w*) "
         r"(?:[\w']+ ){0,2}(?:confiscated|seized|stolen|recovered|found|lost) (?:property|goods|[\w']+)|"
         r"\b(?:deal\w*|sell\w*|sold|supply\w*|suppli\w*|stole|steal\w*|"
         r"pocket\w*|kept|keeping|skim\w*|took|taking|help\w* (?:him|her)sel(?:f|ves) to) (?:[\w']+ ){0,3}(?:drugs|"
         r"cannabis|cocaine|coke|weed|heroin|pills|ketamine|mdma|class a|the (?:cash|money)|seized|exhibits?|"
         r"from (?:the )?(?:raid|evidence|exhibits|property|seizure))|\bplant(?:ed|ing|s)? (?:[\w']+ ){0,2}(?:drugs|"
         r"evidence|a knife|weapon)|\bfabricat\w* (?:[\w']+ ){0,2}(?:evidence|statements?|notes|records)|"
         r"\bfalse (?:statements?|evidence|records?)|\bfalsif\w*|\bpervert\w* the course|\bperverting\b"),
    Rule("pressure to drop a case", (CORRUPTION,), r"\b(?:lean\w* on|pressur\w*|lent on|leant on) (?:me |him |her )?"
         r"to (?:drop|bury|close|lose|shelve|go easy on|nfa) (?:it|the (?:case|investigation|charges?|job|report|"
         r"complaint))\b"),
    Rule("fraud", (CORRUPTION,), r"\bfiddl\w* (?:[\w']+ ){0,2}(?:expenses|overtime|hours|mileage|claims?)|\b(?:expenses|"
         r"overtime|mileage) fraud\b|\bfraud\w*|\bclaim\w* (?:for )?(?:overtime|hours|expenses) (?:he|she|they) "
         r"(?:never|didn't|did not) (?:work\w*|do|incur\w*)|\bembezzl\w*|\bsteal\w* from (?:the|work|the force)|"
         r"\bfix\w* (?:a|the|his|her|my) (?:speeding |parking )?(?:ticket|fine|case|charge)s?\b"),
    Rule("favours for the warrant card", (CORRUPTION,), r"\bwarrant card\b", context=rf"\b{_MONEY}\b|\bfree\b"),
]

_SLUR = alt(
    r"n[i1!*]gg\w*", r"n[i1]gs?", r"negro(?:es)?", r"coons?", r"wogs?", r"golliwogs?", r"pakis?", r"chinks?",
    r"gooks?", r"spics?", r"kikes?", r"yids?", r"gypp?os?", r"gippos?", r"pikeys?", r"ragheads?", r"towelheads?",
    r"faggots?", r"fags?", r"poofs?", r"poofters?", r"batty ?boys?", r"dykes?", r"trann(?:y|ies)", r"shemales?",
    r"retard(?:s|ed)?", r"spastics?", r"spaz", r"mongs?", r"cripples?", r"paedos? (?:gays?)", r"half[- ]castes?",
    r"darkies?", r"jungle bunn(?:y|ies)", r"sand ?n\w+", r"ching[- ]chong", r"lezzas?", r"lesbos?",
)
_GROUP = alt(r"roma", r"romany", r"gypsies", r"travellers", r"sikh", r"arab", r"somali", r"nigerian", r"eastern european",r"black", r"asian", r"white", r"muslims?", r"jewish", r"jews?", r"sikhs?", r"hindus?", r"gay", r"lesbian",
             r"bi(?:sexual)?", r"trans(?:gender)?", r"disabled", r"a woman", r"female", r"a girl", r"pregnant", r"deaf",
             r"blind", r"autistic", r"dyslexic", r"foreign", r"polish", r"irish", r"romanian", r"a traveller",
             r"traveller", r"gypsy", r"pakistani", r"indian", r"african", r"chinese", r"mixed race", r"a mum",
             r"a mother", r"pretty", r"blonde", r"catholic", r"christian", r"religious", r"immigrants?", r"refugees?")
_PEOPLE = alt(r"people", r"officers?", r"m[ae]n", r"wom[ae]n", r"lads", r"folk", r"famil(?:y|ies)", r"communit(?:y|ies)",
               r"colleagues?", r"staff", r"recruits?", r"victims?", r"kids", r"lot", r"ones")
# Degrading claims about a group ("Black people are naturally more violent", "the Asian officers can't be trusted").
_DEROGATORY = alt(r"are (?:all |naturally |just |always |only |more |less |too )?(?:[\w']+ )?(?:violent|criminals?|"
                  r"lazy|thieves|liars|dirty|stupid|thick|animals|terrorists|scroungers|useless|dangerous|aggressive|"
                  r"a problem|trouble|the problem|not to be trusted|untrustworthy)", r"can't be trusted",
                  r"cannot be trusted", r"stick together", r"all the same", r"should (?:go|be sent) (?:back|home)",
                  r"don't belong", r"do not belong", r"aren't welcome", r"are not welcome", r"burden",
                  r"shouldn't be (?:in|allowed)", r"men in dresses", r"looks? like a (?:terrorist|bomber)",
                  r"looked like a (?:terrorist|bomber)", r"should retire", r"unnatural", r"disgusting", r"perverts?")
DISCRIMINATION_RULES = [
    Rule("degrading a group", (DISCRIMINATION,), rf"\b(?:the |all |those |these |them )?{_GROUP} (?:{_PEOPLE} )?"
         rf"(?:[\w']+ ){{0,3}}?{_DEROGATORY}|\b(?:muslims?|jews?|jewish|sikhs?|hindus?|blacks|asians|gays|immigrants|"
         rf"foreigners|travellers|gypsies|roma|trans (?:women|men|people)|disabled people) (?:[\w']+ ){{0,3}}?"
         rf"(?:are|all|should|can't|cannot|always|never|don't|just)\b|\b(?:deaf|blind|disabled|autistic|dyslexic) "
         rf"(?:[\w']+ ){{0,4}}{_DEROGATORY}"),
    Rule("religion mocked with food or dress", (DISCRIMINATION,), r"\b(?:muslims?|jews?|jewish|sikhs?|hindus?|islam\w*)\b",
         context=r"\b(?:made|mak\w*|forc\w*|mock\w*|pull\w*|ripp?\w*|tore|take|took|remov\w*|laugh\w*|jok\w*|offer\w*|"
                 r"put)\b[\w' ]{0,40}?\b(?:pork|bacon|ham|sausages?|alcohol|beer|turban|hijab|headscarf|kippah|skull ?cap)\b"),
    Rule("named directly", (DISCRIMINATION,), r"\b(?:racis\w+|racial(?:ly)?|race hate|hate crimes?|homophob\w*|"
         r"transphob\w*|biphob\w*|sexis\w+|misogyn\w*|anti-?semit\w*|islamophob\w*|xenophob\w*|ableis\w*|bigot\w*|"
         r"discriminat\w*|prejudic\w*|slurs?|n[- ]word|monkey (?:noises|chants|sounds|gestures)|misgender\w*|"
         r"dead-?nam\w*|ethnic (?:slur|abuse)|racial profiling)",
         after=alt(r"training", r"awareness", r"policy", r"workshop", r"course", r"module", r"champion", r"network"),
         before=r"\b(?:accus\w*|call\w*) (?:me|him|her|them|us) (?:of being |a |an )?$"),
    Rule("slurs", (DISCRIMINATION,), rf"\b{_SLUR}\b", remarks=False),
    Rule("because of who they are", (DISCRIMINATION,), rf"\bbecause (?:(?:[\w']+ ){{1,3}}?(?:was|were|is|are|being)|i'?m|i am|she'?s|she is|he'?s|he is|they'?re|"
         rf"they are|we'?re|we are|i was|she was|he was|they were|of (?:my|her|his|their|our)(?: \w+)?) (?:a |an )?"
         rf"(?:{_GROUP}|race|religion|colou?r|skin|sexuality|gender|disability|accent|faith|ethnicity|nationality|sex|"
         r"age|hijab|turban|background|orientation)\b"),
    Rule("go back, sexist claims", (DISCRIMINATION,), r"\bcall\w* (?:[\w']+ ){0,3}(?:a |an )?(?:monkeys?|apes?)\b|"
         r"\bcurry (?:club|munchers?|heads?)\b|\bwom[ae]n (?:aren't|are not|will never be|are never) cut out\b|"
         r"\b(?:women|girls) who (?:[\w']+ ){1,6}(?:are|were) (?:just )?asking for it\b|"
         r"\bgo back to (?:your|my own|where|their own|africa|pakistan|"
         r"poland|india)|\b(?:your|my|his|her|their) own country\b|\bwom[ae]n (?:are(?:n't)? (?:too|not|all|only|just|"
         r"useless|no good)|can't|cannot|shouldn't|should not|don't belong|do not belong|have no place|belong in|"
         r"should (?:be|stay))|\b(?:no|not a) (?:place|job) for (?:a )?wom[ae]n|\bmake (?:the|him|me|us|them) "
         r"(?:a )?(?:tea|coffee|sandwich)|\bmaternity\b|\b(?:muslims?|jews?|blacks|asians|gays|immigrants|"
         r"foreigners) (?:are|all|should)\b|\bcalled (?:me|her|them|\w+) (?:a |an )?(?:slag|slut|whore|bitch|tart|"
         r"skank|cow|hoe)s?\b|\bcalled (?:me|her|us|them|\w+) (?:a |an )?(?:[\w']+ )?(?:terrorists?|bombers?)\b"),
    Rule("mocked who they are", (DISCRIMINATION,), r"\b(?:mock\w*|mimic\w*|imitat\w*|laugh\w* at|impersonat\w*|pull\w* off|take|took|"
         r"ripp?\w* off|tore off|jok\w* about|abus\w*|insult\w*) (?:[\w']+ ){0,3}(?:stammer|stutter|disabilit\w*|wheelchair|"
         r"limp|hearing aid|autism|dyslexia|accents?|religion|faith|hijab|turban|headscarf|kippah|skull ?cap|prayer|"
         r"skin colou?r|sexuality|race)\b"),
]

SELF_HARM_RULES = [
    # Suicidal thoughts, self-harm, and the ways people say it without those words.
    Rule("suicide and self-harm", (SELF_HARM,), r"\bsuicid\w*|\bkill(?:ing|ed)? (?:my|her|him|them|your)sel(?:f|ves)\b|"
         r"\b(?:take|taking|took|end|ending|ended) (?:my|her|his|their|your) (?:own )?li(?:fe|ves)\b|"
         r"\bend(?:ing)? it(?: all)?\b|\bself[- ]?harm\w*|\b(?:harm|harming|hurt|hurting|cut|cutting|injur\w*) "
         r"(?:my|her|him|them)sel(?:f|ves)\b|\boverdos\w*|\bod'?d\b|\b(?:don't|do not|didn't|dont) want to "
         r"(?:be here|be alive|live|go on|wake up|exist)|\b(?:doesn't|does not|didn't|did not) want to (?:be here|be "
         r"alive|live|go on|wake up|exist)|\b(?:want|wanted|wanting|wish|wished) (?:[\w']+ )?to die\b|"
         r"\bwish (?:i|she|he) (?:was|were) dead|\bbetter off (?:without me|dead|without her|without him)|"
         r"\bno (?:point|reason) (?:in )?(?:living|going on|carrying on|being alive)|\b(?:see|is) (?:any|no|the) point "
         r"(?:in )?(?:living|going on|carrying on|being alive|being here)|\b(?:step\w*|jump\w*|throw\w* (?:my|her|him)"
         r"self) (?:out )?in front of (?:a |the )?(?:train|bus|lorry|car|traffic)|\bstockpil\w*|\bsaving up (?:my |her )?"
         r"(?:pills|tablets)|\b(?:wrote|written|writing|left) (?:a )?(?:suicide |goodbye )?note for|\bcan'?t (?:go on|carry on "
         r"living|see a way out|cope any ?more)|\bjump(?:ed|ing)? (?:off (?:a|the) (?:bridge|roof|building|cliff)|in front of)|\bhang (?:my|her|him)self|"
         r"\bthoughts (?:of|about) (?:ending|dying|death|not being here)|\b(?:not|isn't|is not) worth living|"
         r"\bnot (?:want|wanting) to be alive", after=alt("prevention", "awareness", "training", "policy", "course",
                                                         "statistics", "to the", "of the", "the meeting", "the call")),
]

RULES = [*SSO_RULES, *SSO_CORRUPTION_RULES, *VIOLENCE_RULES, *DOMESTIC_RULES, *CORRUPTION_RULES,
         *DISCRIMINATION_RULES, *SELF_HARM_RULES]
