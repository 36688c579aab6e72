"""Chat over a folder of documents, answering with citations verified at exact character offsets."""

__version__ = "0.1.0"
