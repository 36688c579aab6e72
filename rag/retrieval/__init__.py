"""Finding the passages and sentences that answer a question: keyword, dense, fused."""
