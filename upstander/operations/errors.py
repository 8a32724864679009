"""Refusals of the fail-closed checks (no Django imports, so the command line can catch them before set-up)."""


class InstallationError(Exception):
    """A command cannot run against this data directory or database; the message says what to do."""


class NotInstalled(InstallationError):
    pass


class KeysDoNotMatch(InstallationError):
    pass
