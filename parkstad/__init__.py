"""Shared foundation of the Parkstad Deal Assistant: settings and domain errors."""
