"""The panels around the views: prediction, training settings, run bar, galleries."""
