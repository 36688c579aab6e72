"""Source-citation lookup: locate a quote, paraphrase or translation at exact offsets."""
