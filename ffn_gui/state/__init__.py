"""What the window knows: the Session and the plain state it owns, and the settings."""
