"""Lapor: national public-service complaint management."""
