"""The overseer's witness: a small program the overseer runs on a machine the force does not control.

It pulls the force's audit chain through a scoped API token, checks that what it pulls extends what it saw before
(recomputing every hash), and keeps the heads it has seen, each signed with its own Ed25519 key. It needs no
database and none of the force's keys. See docs/operations.md ("The overseer's witness").
"""
