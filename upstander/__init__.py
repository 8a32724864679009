"""Upstander: speak-up, misconduct cases and accountability for a police force and its overseer."""
