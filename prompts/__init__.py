"""Prompt templates, read by assistant/."""
