"""Measuring the assistant: evaluation datasets, metrics, baselines and the ``rag eval`` run."""
