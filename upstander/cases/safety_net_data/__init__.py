"""Word lists and rules of the narrative safety net (see upstander/cases/safety_net.py and docs/safety-net.md)."""
