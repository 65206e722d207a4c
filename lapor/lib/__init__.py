"""Pure helpers with no models: redaction, tracking numbers, time."""
