"""The window itself: MainWindow, its layout, menus and their commands, dialogs, theme."""
