"""Staff of the guidance line: accounts, sessions, roles, the duty schedule and the audit log."""
