"""Turning text into documents for display (Markdown, code colours). No widgets live here."""
