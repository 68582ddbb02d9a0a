"""Placeholder: this app arrives with its own issue (see DESIGN.md)."""
