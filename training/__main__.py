"""``python -m training``: train the model (see ``training.train``)."""

import sys

from .train import main

sys.exit(main())
