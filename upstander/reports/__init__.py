"""The reports core: the report and everything kept with it, which the reporter side (`intake`) and the staff side
(`cases`, `custody`, `safeguarding`, `oversight`) both use and which never imports either of them (SecureDrop's
source and journalist apps share one core the same way).

Public interface — the only names the two sides call:

- `reports.models`: Report, SealedKey, SubjectMention, ReporterLink, Message, Attachment, ReporterRequest,
  ListeningCircleDisclosure; the reporter side's working state Draft, PendingBlob, ReceiptFailureWindow.
- `reports.choices`: Channel, ReportingMode, Route, ReporterType, ReporterRole, MessageDirection, LinkStatus,
  FIRM_LINKS, FileKind, RequestKind, Consent.
- `reports.creation`: ReportInput, Identity, Subject, route_of, match_staff_reporter, create_report (rows only),
  receive_report (create + audit + tell the staff side).
- `reports.messages`: add_message, add_reporter_request, conversation, check_body, MAX_MESSAGE_CHARS.
- `reports.attachments`: StagedFile, stage_file, discard_staged, attach, files_of, open_clean_copy, FileUnavailable.
- `reports.files`: check (recognise and clean an upload), CheckedFile, FileRefused, limits.
- `reports.receipts`: new_receipt, normalise, derive, ReceiptKey.
- `reports.throttle`: charge, refund (the global budget of receipt attempts).
- `reports.sealing`: every choice of key and context — KeyUnavailable, new_data_key, recipients, handling_org, force,
  custodians, seal_data_key, reseal, data_key_for_org, data_key_from_receipt, wrap_for_receipt, check_data_key,
  encrypt_field/decrypt_field, encrypt_identity/decrypt_identity, seal_identity/open_sealed_identity,
  encrypt_message/decrypt_message, encrypt_statement/decrypt_statement, attachment_key/attachment_name,
  encrypt_visit/decrypt_visit.
- `reports.pins`: RecipientKeyRefused, verified_public_key, pin_organisation, alerting_on_refusal, fingerprint.
- `reports.rotation`: do_rotate_organisation_key (an audited action).
- `reports.visibility`: released_to_force, force_reports, case_released_to_force — the one rule for what the force
  may see of an independent-route matter.
- `reports.notify`: notify_update (the "there is an update" email), update_address.
- `reports.hooks`: report_received and reporter_request_made (signals the staff apps receive), provide_case_clocks
  and case_clocks (the reporter's timeline reads the case workflow's clocks through it).
- `reports.sweeper`: sweep (expired drafts, reservations, what a crash left in the store).

Crypto primitives stay in lib/crypto.py; the encrypted blob store is lib/storage.py.
"""
