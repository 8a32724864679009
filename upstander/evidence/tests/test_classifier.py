"""The shipped classifier: built from the data it says, small, gives scikit-learn's scores, says why it flags, and is
scored the same way everywhere."""

from __future__ import annotations

from upstander.evidence.classifier import data, metrics, model, train
from upstander.evidence.classifier.normalise import normalise
from upstander.evidence.parsing import ChatMessage, Kind
from upstander.evidence.review import classify, readable, thresholds


def test_the_shipped_model_was_trained_on_the_data_in_shared_and_gives_scikit_learns_scores():
    classifier = model.load()
    gap = train.check(classifier, data.load("train"))  # raises SystemExit if the data or the scores differ
    assert gap < train.CHECK_TOLERANCE
    assert classifier.meta["trained_on"]["rows"] == 28388


def test_the_shipped_model_is_a_few_megabytes_and_needs_no_pickle():
    assert model.MODEL_PATH.stat().st_size < 10 * 1024 * 1024
    with open(model.MODEL_PATH, "rb") as handle:
        assert handle.read(2) == b"PK"  # a zip of .npy arrays, read with allow_pickle=False


def test_policy_gives_a_threshold_for_every_category():
    assert set(thresholds()) == set(data.CATEGORIES)
    assert all(0 < value < 1 for value in thresholds().values())


def test_text_is_normalised_the_same_for_every_source():
    assert normalise("He said: I'D do it!!! https://x.org @dave 12,000") == "he said i d do it xurl xuser 0"
    assert normalise("<user> <number> [URL] fuuuuck") == "xuser 0 xurl fuuck"
    assert normalise("\u200eHello\u202f there") == "hello there"


def test_a_flag_says_which_words_weighed_most_and_everyday_chat_is_not_flagged():
    classifier = model.load()
    slur, everyday = classifier.classify(["that faggot from traffic is a disgusting queer", "see you at the nick"],
                                         thresholds())
    assert slur.category == "homophobic_transphobic" and slur.score > 0.9
    assert "faggot" in slur.why and "is a" not in slur.why
    assert everyday.category == "" and everyday.why == ()


def test_only_what_a_person_wrote_is_classified():
    from datetime import datetime

    moment = datetime(2021, 3, 14, 10, 0)
    messages = [ChatMessage("Dave", "x", moment, "IMG-1.jpg (file attached)\nthat faggot from traffic", Kind.MEDIA),
                ChatMessage("", "x", moment, "Dave added faggot", Kind.SYSTEM),
                ChatMessage("Dave", "x", moment, "This message was deleted", Kind.DELETED)]
    assert readable(messages[0]) == "that faggot from traffic"
    verdicts = classify(messages)
    assert verdicts[0].category == "homophobic_transphobic"
    assert [v.category for v in verdicts[1:]] == ["", ""]


def test_scores_count_each_category_equally_and_banter_called_hate():
    truth = ["racist", "racist", "offensive_not_hate", "offensive_not_hate", "none"]
    said = ["racist", "none", "racist", "offensive_not_hate", "offensive_not_hate"]
    scores = metrics.score(truth, said)
    assert scores.per_category["racist"][:3] == (0.5, 0.5, 0.5)
    assert scores.banter_called_hate == 0.5 and scores.banter_rows == 2
    assert abs(scores.macro_f1 - (0.5 + 0.5) / len(data.CATEGORIES)) < 1e-9


def test_a_british_insult_the_data_never_saw_is_banter_not_hate():
    from datetime import datetime

    moment = datetime(2021, 3, 14, 10, 0)
    messages = [ChatMessage("Dave", "x", moment, "you absolute muppet"),
                ChatMessage("Dave", "x", moment, "git push the rota to the shared drive later")]
    muppet, git = classify(messages)
    assert muppet.category == "offensive_not_hate" and muppet.why == ("muppet",)
    assert git.category == ""
