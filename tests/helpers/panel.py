"""Setting the training panel's controls as a user would, by name."""


def configure(window, **values) -> None:
    """Set panel controls by name (text for line edits, values for spin boxes...)."""
    controls = window.training_panel.controls
    for name, value in values.items():
        widget = controls[name]
        if hasattr(widget, "setText") and isinstance(value, str):
            widget.setText(value)
        elif hasattr(widget, "setChecked"):
            widget.setChecked(value)
        elif hasattr(widget, "findData"):
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.setValue(value)
