"""Limits on what people type, shared by the reporter side and the staff side (both import lib, never each other)."""

# The longest account, message, reply or disclosure anyone may send, in characters: about eight pages of A4, room
# for the most detailed account, while one submission still cannot fill the disk or make encrypting it, storing it
# and showing it slow. Every form enforces it (max_length); the reporter's message and the staff reply actions check
# it again, since a form can be bypassed.
MAX_TEXT_CHARS = 20_000
