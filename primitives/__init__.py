"""Chain-agnostic building blocks (the analog of sp-core / sp-runtime): SCALE codec,
hashing, keys and signatures, SS58. Nothing here knows about a chain's logic."""
