"""Staff workbench pages; one module per screen."""
