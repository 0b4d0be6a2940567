"""``python -m ffn_gui``: open the window."""

import sys

from .app import main

sys.exit(main())
