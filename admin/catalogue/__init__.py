"""The catalogue editor of the staff app: list, edit, status changes, history, import/export."""
