"""First-use set-up of an installation: key files and the key-holding organisations (the force, the overseer, the identity
custodians, the listening circles). Idempotent."""

from __future__ import annotations

import sys

from django.conf import settings

from upstander.accounts.actions import do_create_organisation, do_move_members_to_their_roles_key
from upstander.accounts.models import Organisation, OrganisationKind
from upstander.audit.log import Actor
from upstander.lib import crypto
from upstander.lib.keyfiles import keys_dir, write_private
from upstander.lib.keys import ensure_key_files, set_pin


def ensure_organisations(actor: Actor | None = None) -> dict[str, bytes]:
    """Create any missing organisation. Returns {kind: private key} for the ones created now, so the caller can
    grant them to first members; the recovery secret is printed to stderr once and never kept (in demo mode it is
    written beside the keys, a demo convenience).

    An installation made before an organisation existed gets it here, on its next `upstander migrate` or
    `upstander keys init`, and accounts whose role now holds another organisation's key (facilitators, who held the
    force's) lose the old grant and join their role's organisation (accounts.actions.do_move_members_to_their_roles_key,
    audited)."""
    actor = actor or Actor.system("setup")
    created: dict[str, bytes] = {}
    for kind in OrganisationKind.values:
        if Organisation.objects.filter(kind=kind).exists():
            continue
        new = do_create_organisation(actor=actor, kind=kind)
        created[kind] = new.private_key
        # Pinned outside the database as it is made (this process made the key), so a key swapped in the database
        # later is refused (reports/pins.py).
        set_pin(kind, crypto.fingerprint(bytes(new.organisation.public_key)), replace=True)
        if settings.DEMO_MODE:
            # Demo convenience only: the synthetic installation's recovery secret is kept beside its keys.
            write_private(keys_dir(settings.DATA_DIR) / f"recovery-{new.organisation.slug}.txt",
                          (new.recovery_secret + "\n").encode())
        else:
            print(f"Recovery secret for {new.organisation.name} (print it and keep it safe): "
                  f"{new.recovery_secret}", file=sys.stderr)
    do_move_members_to_their_roles_key(actor=actor)
    return created


def ensure_installation(*, quiet: bool = True) -> dict[str, bytes]:
    ensure_key_files()
    return ensure_organisations()


def recovery_secret_path(slug: str):
    return keys_dir(settings.DATA_DIR) / f"recovery-{slug}.txt"
