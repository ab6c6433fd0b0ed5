"""Pantau ILP: the pure core (never imports streamlit)."""
__version__ = "0.1.0"
