"""The only Streamlit-aware helpers: cached connection and queries, shared filters, exports."""
