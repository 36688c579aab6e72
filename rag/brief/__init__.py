"""Briefings over the whole document set: extractive, or written by a generator and checked."""
