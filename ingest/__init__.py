"""Ingest: load documents, parse their structure into chunks, embed them into Chroma."""
