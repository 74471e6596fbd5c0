"""The revisions, oldest first (each file names the one it follows)."""
