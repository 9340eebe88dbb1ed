"""Command groups of the `familieveiviser` CLI."""
