"""The Gradio web app over the ``rag`` library."""
