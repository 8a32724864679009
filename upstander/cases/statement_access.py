"""Reading the victim's account (cases/assignments.py records it): every version, decrypted, for the people working
the case, and each reading audited, so "who read her account?" has an answer. (cases/access.py cannot hold this: the
workflow's guards import it.)"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction

from upstander.audit.log import record
from upstander.cases.assignments import decrypt_statement, may_read_statements
from upstander.cases.models import Case


def read_statements_for(actor, case: Case, data_key: Callable[[], bytes]) -> list[dict]:
    """Every version of the account, newest first, as {"s": statement, "text": its words}. `data_key` gives the
    report's key (asked only when there is something to read); its errors, and crypto.CryptoError, pass through."""
    if not may_read_statements(actor, case):
        raise PermissionDenied
    statements = list(case.statements.select_related("recorded_by").order_by("-version"))
    if not statements:
        return []
    key = data_key()
    versions = [{"s": s, "text": decrypt_statement(key, s)} for s in statements]
    with transaction.atomic():
        record(actor, "case.statement_read", case, reason=f"{len(statements)} version(s)")
    return versions
