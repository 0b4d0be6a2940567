"""Work off the GUI thread: the workers and the controllers that own them."""
