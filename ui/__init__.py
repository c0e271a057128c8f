"""The web app's parts: its text per language (lang/), how answers and sources are shown (render), what every UI
event does (handlers), the register view (register_view) and the deal at a glance (overview)."""
