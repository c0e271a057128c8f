"""A local deployment: nginx in front of N app processes and Chroma's own server (`parkstad deploy`)."""
