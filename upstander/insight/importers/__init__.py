"""Importers of complaints datasets into the common schema (schema.py)."""
