"""Extraction: turning transcripts into draft map elements, by a model or by offline rules."""
