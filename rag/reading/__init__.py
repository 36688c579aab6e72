"""The reader: which quotable unit of the retrieved passages answers the question, or none."""
