"""Where an index lives: the manifest of committed documents, their texts, and the vectors."""
