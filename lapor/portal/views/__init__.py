"""The citizen portal's views: thin, they parse input, call a service or a privacy queryset,
and render."""
