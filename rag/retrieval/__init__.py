"""Retrieval building blocks shared by the pipeline and the evaluation: keyword analysis, fusion."""
