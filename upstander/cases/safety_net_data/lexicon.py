"""Regular-expression fragments shared by the safety-net rules. Text reaching them is already normalised:
lower case, straight apostrophes, obfuscations and common misspellings of the key words undone (safety_net.py)."""

from __future__ import annotations


def alt(*words: str) -> str:
    """A non-capturing alternation of regex fragments."""
    return "(?:" + "|".join(words) + ")"


# --- people -------------------------------------------------------------------------------------------------------
PRONOUN = alt("me", "her", "him", "them", "us", "you", "myself", "herself")
PERSON_NOUN = alt(
    "wom[ae]n", "girls?", "boys?", "m[ae]n", "child(?:ren)?", "kids?", "colleagues?", "prisoners?", "detainees?",
    "victims?", "witness(?:es)?", "students?", "pcsos?", "probationers?", "probies?", "recruits?", "females?",
    "lad(?:y|ies)", "teenagers?", "sex workers?", "officers?", "members? of (?:the )?public", "daughters?", "sons?",
    "sisters?", "friends?", "wife", "girlfriend", "partner", "complainants?", "suspects?", "pupils?", "cadets?",
    "trainees?", "constables?", "staff",
)
# "touched her", "groped a colleague", "touched the young probationer"
PERSON = alt(PRONOUN, r"(?:a|an|the|my|his|two|one of the|another|several|some|other|female|young|new)(?: [\w'-]+){0,3}? "
             + PERSON_NOUN)

# Partners and former partners: domestic abuse is abuse by someone "personally connected".
PARTNER = alt(
    r"(?:she|i|he) (?:left|split (?:up )?(?:with|from)|broke up with|separated from) (?:him|her|me)",
    r"wife", r"husband", r"ex(?:-?(?:wife|husband|partner|girlfriend|boyfriend|fianc\w+))?", r"ex's", r"exes",
    r"(?:his|her|my) partner", r"partners?", r"girlfriend", r"boyfriend", r"gf", r"bf", r"spouse", r"fianc\w+",
    r"missus", r"other half", r"common[- ]law", r"(?:mother|father) of (?:his|her|my|their) (?:child|children|kids)",
    r"baby (?:mother|mama|mum|father|daddy)", r"our (?:children|kids|son|daughter|baby|marriage)", r"marriage",
    r"married", r"divorc\w+", r"(?:he|she) lives with", r"(?:was|were|been|am|is|are) in a relationship with (?:him|her)",
)

# --- sexual vocabulary ----------------------------------------------------------------------------------------------
# Body parts whose touching is sexual in itself.
INTIMATE = alt(
    "breasts?", "boobs?", "tits?", "chest", "nipples?", "bum", "bottom", "backside", "arse", "ass", "butt",
    "buttocks", "crotch", "groin", "genitals?", "genitalia", "privates", "private (?:parts?|area)", "intimate (?:parts?|area)",
    "vagina", "vulva", "fanny", "pussy", "penis", "dick", "cock", "willy", "balls", "testicles", "erection",
    "between (?:my|her|his|their|the) legs", r"(?:inner |upper )?thighs?", "down there", "bits",
)
# Parts whose touching is sexual when stroked or rubbed rather than grabbed.
BORDERLINE = alt("legs?", "knees?", "waist", "hips?", "lower back", "neck", "body", "stomach", "belly")
CLOTHING = alt(
    "underwear", "knickers", "pants", "panties", "bra", "boxers", "skirt", "dress", "top", "shirt", "blouse",
    "trousers", "jeans", "tights", "leggings", "nightie", "clothes", "sleeping bag", "shorts", "pyjamas?",
    "pyjama (?:bottoms|top)", "pjs", "bottoms", "nightdress", "jumper", "hoodie", "joggers", "tracksuit", "swimsuit",
    "bikini", "clothing", "uniform",
)
# Acts that are sexual but need force, a child, or an abused position to be an offence.
SEX_ACT = alt(
    r"(?:have|had|having|has) (?:sex|intercourse|sexual intercourse)", r"sex with", r"sexual (?:intercourse|relationship|"
    r"relations|activity|contact|acts?|favou?rs?|touching)", r"sex acts?", r"(?:slept|sleep|sleeping|sleeps) with",
    r"intercourse", r"oral(?: sex)?", r"blow ?jobs?", r"bjs?", r"hand ?jobs?", r"sexual favou?rs?", r"(?:go|went|going) down on",
    r"suck(?:ed|ing)? (?:him|his|me|my)", r"(?:go|went|get|got|getting) (?:in)?to bed with", r"in bed with",
    r"intimate (?:relationship|with)", r"physical relationship", r"hook(?:ed)? up with", r"\bsex\b(?! (?:workers?|work|offen\w+|education|discrimination|life|lives|toys?|shops?|"
    r"industry|appeal|drive|abuse|crimes?))", r"shag\w*",
    r"(?:bang|screw)(?:ed|ing|s)? (?:me|her)\b", r"blow(?:ing)? (?:him|me)",
    r"(?:touch|touched|touching|kiss|kissed|kissing) (?:him|his|her|me)", r"masturbat\w*", r"wank\w*",
)

# Force, absent consent, incapacity, threats and abused power: any of these around a sexual act makes it an offence.
COERCION = alt(
    r"forc\w*", r"made (?:me|her|him|them)", r"mak(?:e|es|ing) (?:me|her|him|them)", r"pressur\w+", r"coerc\w+",
    r"threat\w*", r"blackmail\w*", r"against (?:my|her|his|their) will", r"without (?:my|her|his|their|any)? ?consent",
    r"non[- ]?consensual", r"(?:didn't|did not|never|couldn't|could not|wasn't able to|unable to|can't|too \w+ to|not) "
    r"(?:consent\w*|agree\w*|want\w*)", r"no consent", r"said no", r"say no", r"saying no", r"told him (?:no|to stop)",
    r"said stop", r"asked him to stop", r"begg\w+", r"scream\w*", r"cr(?:y|ied|ying)", r"froze", r"frozen", r"pinn\w+",
    r"held (?:me|her|him) down", r"on top of (?:me|her)", r"despite", r"refus\w*", r"protest\w*", r"objection",
    r"uninvited", r"(?:wouldn't|would not|refused to) (?:leave|let me go|let her go)", r"gave in", r"give in", r"(?:get|got|getting|run|ran) away", r"escap\w*",
    r"fought (?:him |her )?off", r"fight (?:him |her )?off", r"push(?:ed)? (?:him|her) (?:off|away)", r"wouldn't stop", r"didn't stop", r"did not stop",
    r"kept going", r"unconscious", r"asleep", r"passed out", r"(?:was|were|while|when) (?:i |she )?sleeping",
    r"drunk", r"intoxicated", r"drugged", r"off (?:my|her|his) face", r"to avoid", r"blacked out", r"restrained",
    r"spiked", r"out of it", r"or else", r"or (?:he|she)(?:'d| would| will|'ll)", r"unless", r"if (?:i|she|he|they) "
    r"(?:didn't|did not|don't|refused|wouldn't)", r"otherwise", r"in (?:exchange|return) for", r"for (?:not|dropping|letting)",
    r"let (?:me|her|him) off", r"drop(?:ped)? the (?:charges?|case)", r"scared", r"afraid", r"terrified",
    r"(?:my|her|his) (?:job|career|promotion|probation|portfolio)", r"(?:control\w*|threat\w*|chang\w*|decid\w*|sort\w*)"
    r"(?: [\w']+){0,2} (?:my|her) shifts?", r"vulnerable", r"in custody",
    r"custody(?! (?:sergeants?|sgts?|skippers?|officers?|staff|inspectors?|nurses?|desk|manager))",
    r"detained", r"handcuffed", r"in care", r"victims?", r"witness\w*", r"informants?", r"sex workers?", r"arrest\w*",
    r"(?:his|her) (?:position|rank|badge|warrant card|uniform|authority|power)", r"abuse of (?:his |her )?position",
    r"immigration", r"mental health", r"psychos\w*", r"psychotic", r"section(?:ed)? ?(?:136|135|2|3)?\b",
    r"s ?136", r"(?:didn't|did not|wouldn't|would not) listen", r"ignor\w*", r"supposed to be protecting", r"dealing with (?:my|her|his) case",
    r"(?:met|dealt with) (?:\w+ ){0,3}(?:on|through|at|during) (?:duty|a call|a job|work|an incident)", r"on a call",
    r"child(?:ren)?", r"underage",
)

# Said of sex that both wanted: it cancels a coercion context found nearby ("the custody sergeant and a detention officer,
# both consenting adults, had sex on their break"). "Non-consensual" and "it was not consensual" do not cancel.
CONSENSUAL = r"(?<!non-)(?<!non )\b(?:consensual|consenting adults?|(?:both|mutually) consent\w*|fully mutual|mutual)\b"

# A child, in words a reporter uses.
_NUM_UNDER_16 = alt(r"[1-9]", r"1[0-5]", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                    "eleven", "twelve", "thirteen", "fourteen", "fifteen")
CHILD = alt(
    r"child(?:ren)?", r"kids?", r"minors?", r"under[- ]?age(?:d)?", r"school ?(?:girl|boy|child)s?", r"pupils?",
    r"year (?:[1-9]|1[01]) (?:student|pupil|girl|boy)s?",
    rf"\b{_NUM_UNDER_16}[- ]?(?:years?|yrs?|yo|y/o)(?:[- ]old)?", rf"aged? (?:of )?{_NUM_UNDER_16}\b",
    r"under (?:16|sixteen)", r"teen(?:age)? (?:girl|boy)s?", r"young (?:girl|boy)s?", r"little (?:girl|boy)s?",
    r"step-?(?:daughter|son)", r"cadets?", r"when (?:i|she|he) was (?:a child|a kid|little|young|" + _NUM_UNDER_16 + r")",
    rf"(?:i|she|he) was (?:only |just )?{_NUM_UNDER_16}\b", r"as a (?:child|kid)", r"in care",
    rf"(?:is|was|she's|he's|i'm|turned|just) (?:only |just )?{_NUM_UNDER_16}\b(?! (?:minutes|hours|days|weeks|months|"
    r"times|o'clock|pm|am|miles|pounds|quid|officers|of))", r"work experience", r"safeguarding referral",
    r"p(?:a)?edo(?:phile)?s?", r"groom(?:ed|ing)", r"only " + _NUM_UNDER_16 + r"\b",
)
# What with a child makes it sexual (contact, sexual talk and images of children included).
CHILD_SEXUAL = alt(
    SEX_ACT, r"sexual\w*", r"kiss\w*", rf"touch\w* {PERSON}\b", r"naked", r"nudes?",
    r"explicit", r"indecent\w*", r"groom\w*", r"(?<!non-)molest\w*", r"abus(?:ed|ing|e)", r"relationship", r"fondl\w*",
    r"did (?:stuff|things|it|sexual things)\b", r"(?:things|it|stuff) went (?:further|too far)", r"went too far",
    r"exploit\w*",
)

# Words that, placed right after a match, make the match a topic rather than an event ("rape jokes", "the rape unit").
TOPIC_AFTER = alt(
    "jokes?", "joking", "banter", "memes?", "gifs?", "comments?", "remarks?", "statistics", "stats", "training",
    "courses?", "awareness", "prevention", "policy", "policies", "module", "videos?", "films?", "documentar(?:y|ies)",
    "unit", "team", "squad", "department", "teams", "investigators?", "trials?", "culture", "myths?", "charity",
    "helpline", "crime awareness", "amnesty", "arch", "law", "legislation", "scenes? in",
)

# Negative words. "n't" forms are listed without their apostrophe too because reporters often drop it.
NEGATOR = alt(
    r"not", r"never", r"no", r"nobody", r"no one", r"none of (?:them|us)", r"nothing", r"without", r"neither", r"nor",
    r"\w+n't", r"didnt", r"doesnt", r"dont", r"wasnt", r"werent", r"isnt", r"arent", r"hasnt", r"havent",
    r"hadnt", r"wouldnt", r"couldnt", r"cant", r"cannot", r"wont", r"aint", r"den(?:y|ies|ied|ying)",
    r"false", r"fake", r"bogus", r"malicious",
    r"at no (?:point|time|stage)", r"(?:fals(?:e|ely)|wrong(?:ly|fully)|mistakenly|unfairly) (?:accused|accusing|claimed|"
    r"claiming|alleged|alleging|suspected|arrested)",
    r"(?:made up|invented|fabricated|lied about|retracted|withdrew|withdrawn|dropped) (?:the |her |his |my |a |an |that )?"
    r"(?:claim|allegation|story|accusation|complaint|report)s? (?:that|of|about)",
)
# Words that may sit between a negator and the act it negates ("did not at any point try to touch").
NEG_GAP = alt(
    "ever", "once", "even", "actually", "really", "physically", "sexually", "in any way", r"at any (?:point|time|stage)",
    "at all", "did", "does", "do", "done", "has", "have", "had", "was", "were", "is", "are", "be", "been", "being",
    "get", "got", "he", "she", "they", "i", "we", "it", "him", "her", "them", "me", "you", "anyone", "anybody",
    "one", "of", "us", "the", "officer", "try", "tried", "trying", "attempt", "attempted", "to", "that", "say", "said",
    "saying", "claim", "claiming", "claimed", "suggest", "suggesting", "alleging", "allege", "alleged", "mean", "meant",
    "could", "would", "should", "will", "can", "might", "may", "anything", "a", "in", "any", "way", "also",
    "sexual", "inappropriate", "single", "there", "or", "physical", "think", "believe", "reckon", "he's", "she's",
    "they've", "i've", "accused of", "suspected of", "thoughts? of", "thoughts about", "allegations?", "suggestions?", "evidence", "reports?", "complaints?",
    "claims?", "mention", "indication", "sign", "question", "kind", "form", "sort",
)
# Words that end a negation's reach or a remark's reach inside a sentence.
CLAUSE_BREAK = r"(?:[,;:()\u2014\u2013]| - |\b(?:and|but|however|although|though|whereas|yet|then|so|because|when|while|after|before|until|if|which|who|as soon as|instead|only|just)\b)"
