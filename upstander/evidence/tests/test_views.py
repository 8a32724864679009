"""The evidence pages: attach through the page, review a subject's flags with context, decide, read the whole chat
only after asking, the hearing summary; every page refused to whoever may not see the case."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from upstander.audit.models import AuditEvent
from upstander.evidence import actions
from upstander.evidence.models import ChatExport, ChatMessage, FlagState


def _upload(client, case, name, data, **extra):
    return client.post(f"/cases/{case.code}/evidence/attach", {"export": SimpleUploadedFile(name, data), **extra})


def _attach_and_link(opened, cast, roster, chat_file):
    case = opened()
    name, data = chat_file
    attached = actions.do_attach_export(actor=cast.users["handler_a"], case=case, name=name, data=data)
    dyer = attached.export.senders.get(name="Dezza Dyer 🚓")
    actions.do_link_sender(actor=cast.users["handler_a"], sender=dyer, person=roster["1004"])
    return case, attached.export, dyer


def test_a_handler_attaches_an_export_through_the_page_and_sees_its_hash(opened, staff_client, chat_file):
    case = opened()
    client = staff_client("handler_a")
    assert "Attach and review" in client.get(f"/cases/{case.code}/evidence/").content.decode()
    response = _upload(client, case, *chat_file)
    export = ChatExport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/evidence/{export.public_id}/")
    page = client.get(response["Location"]).content.decode()
    assert export.sha256 in page and "12 from people" in page
    assert "4 other senders are not linked to a subject" in page and "bitches" not in page


def test_a_file_that_is_no_chat_is_refused_with_its_name_and_nothing_is_attached(opened, staff_client):
    case = opened()
    response = _upload(staff_client("handler_a"), case, "minutes.txt", b"Minutes of the meeting\nNothing to add\n")
    assert response.status_code == 400
    assert "Nothing was attached. minutes.txt: this is not a WhatsApp chat export" in response.content.decode()
    assert not ChatExport.objects.exists()


def test_the_evidence_pages_refuse_whoever_may_not_see_the_case(opened, cast, roster, chat_file, staff_client):
    case, export, dyer = _attach_and_link(opened, cast, roster, chat_file)
    urls = [f"/cases/{case.code}/evidence/", f"/cases/{case.code}/evidence/{export.public_id}/",
            f"/cases/{case.code}/evidence/{export.public_id}/senders/{dyer.public_id}/",
            f"/cases/{case.code}/evidence/{export.public_id}/summary"]
    other, analyst = staff_client("handler_b"), staff_client("analyst")
    for url in urls:
        assert other.get(url).status_code == 404, url
        assert analyst.get(url).status_code == 403, url
    message = ChatMessage.objects.filter(sender=dyer, state=FlagState.FLAGGED).first()
    response = other.post(
        f"/cases/{case.code}/evidence/{export.public_id}/messages/{message.public_id}/decide",
        {"decision": "confirm", "note": "not my case at all"})
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.state == FlagState.FLAGGED


def test_a_subjects_flags_are_shown_with_context_and_other_senders_stay_hidden(opened, cast, roster, chat_file,
                                                                               staff_client):
    case, export, dyer = _attach_and_link(opened, cast, roster, chat_file)
    client = staff_client("handler_a")
    page = client.get(f"/cases/{case.code}/evidence/{export.public_id}/senders/{dyer.public_id}/").content.decode()
    assert "useless bitches" in page and "disgusting queer" in page
    assert "kit check at 6" in page  # context either side of a flag
    gina = export.senders.get(name="Gina Green")
    assert client.get(f"/cases/{case.code}/evidence/{export.public_id}/senders/{gina.public_id}/").status_code == 403


def test_a_decision_without_a_note_is_refused_and_with_one_it_is_recorded(opened, cast, roster, chat_file,
                                                                          staff_client):
    case, export, dyer = _attach_and_link(opened, cast, roster, chat_file)
    client = staff_client("handler_a")
    message = ChatMessage.objects.filter(sender=dyer, state=FlagState.FLAGGED).first()
    url = f"/cases/{case.code}/evidence/{export.public_id}/messages/{message.public_id}/decide"
    assert client.post(url, {"decision": "confirm", "note": ""}).status_code == 400
    response = client.post(url, {"decision": "confirm", "note": "Derogatory about women officers."})
    assert response.status_code == 302 and f"#flag-{message.public_id}" in response["Location"]
    message.refresh_from_db()
    assert message.state == FlagState.CONFIRMED


def test_the_whole_chat_is_read_only_after_asking_with_a_reason(opened, cast, roster, chat_file, staff_client):
    case, export, _ = _attach_and_link(opened, cast, roster, chat_file)
    client = staff_client("handler_a")
    base = f"/cases/{case.code}/evidence/{export.public_id}"
    assert client.get(f"{base}/whole-chat").status_code == 302
    response = client.post(f"{base}/whole-chat/open", {"reason": "Who else joined in with Dyer?"})
    assert response.status_code == 302 and response["Location"].endswith("/whole-chat")
    page = client.get(f"{base}/whole-chat").content.decode()
    assert "traffic on the A40 is terrible" in page and "+44 7700 900123" in page
    assert AuditEvent.objects.filter(action="evidence.whole_chat", actor="user:handler_a").exists()


def test_the_hearing_summary_shows_the_hash_flags_and_decisions_as_a_page_and_a_pdf(opened, cast, roster, chat_file,
                                                                                      staff_client):
    case, export, dyer = _attach_and_link(opened, cast, roster, chat_file)
    message = ChatMessage.objects.filter(sender=dyer, state=FlagState.FLAGGED).first()
    actions.do_reject_flag(actor=cast.users["handler_a"], message=message, note="Quoting a member of the public.")
    client = staff_client("handler_a")
    page = client.get(f"/cases/{case.code}/evidence/{export.public_id}/summary").content.decode()
    assert export.sha256 in page and "Rejected by user:handler_a" in page and "Quoting a member of the public." in page
    pdf = client.get(f"/cases/{case.code}/evidence/{export.public_id}/summary?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="evidence.summary").count() == 2


def test_the_original_file_comes_back_byte_for_byte_as_an_audited_read(opened, cast, roster, chat_file, staff_client):
    case, export, _ = _attach_and_link(opened, cast, roster, chat_file)
    response = staff_client("handler_a").get(f"/cases/{case.code}/evidence/{export.public_id}/original")
    assert response.status_code == 200 and response.content == chat_file[1]
    assert AuditEvent.objects.filter(action="evidence.original.read", reason__contains=export.sha256).exists()


def test_the_case_page_links_to_the_evidence_and_shows_the_subjects_confirmed_counts(opened, cast, roster, chat_file,
                                                                                     staff_client):
    case, export, dyer = _attach_and_link(opened, cast, roster, chat_file)
    for message in ChatMessage.objects.filter(sender=dyer, state=FlagState.FLAGGED)[:2]:
        actions.do_confirm_flag(actor=cast.users["handler_a"], message=message, note="Confirmed on reading.")
    page = staff_client("handler_a").get(f"/cases/{case.code}/").content.decode()
    assert f"/cases/{case.code}/evidence/" in page
    assert "messages confirmed in seized chats" in page and "Derek Dyer" in page
