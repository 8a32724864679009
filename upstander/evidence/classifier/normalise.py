"""One normal form for training text and chat text, so the model learns words, not which data set wrote them.

HateXplain text is lower-cased and tokenised with no punctuation and `<number>` tags; EDOS keeps case, punctuation
and `[URL]`; ConvAbuse and real chats are typed as people type. Everything is lower-cased, links, handles and numbers
become one token each, apostrophes split words the way HateXplain's tokens do ("i'd" -> "i d"), other punctuation
becomes a space, and a letter repeated three or more times is cut to two ("fuuuck" -> "fuuck")."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
                                    "\u2069\ufeff\u00ad"))
_URL = re.compile(r"(https?://\S+|www\.\S+|\[url\]|<url>)", re.IGNORECASE)
_HANDLE = re.compile(r"(@\w+|<user>|\[user\])", re.IGNORECASE)
_TAG = re.compile(r"<(number|percent|money|time|date|phone|email)>")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_REPEAT = re.compile(r"(\w)\1{2,}")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).lower()
    text = _URL.sub(" xurl ", text)
    text = _HANDLE.sub(" xuser ", text)
    text = _TAG.sub(" 0 ", text)
    text = _NUMBER.sub("0", text)
    text = _REPEAT.sub(r"\1\1", text)
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
