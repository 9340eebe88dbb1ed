"""Statistics for the municipality's planning, from the anonymous conversation aggregates only."""
