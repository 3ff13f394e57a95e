"""Data → Folium layers (no Flask here). Filled in by the interactive-map work."""
