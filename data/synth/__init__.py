"""Synthetic voice-assistant corpus: text templates, TTS voices, augmentation.

Entry point: data/generate.py. Schema and usage: data/README.md.
"""
