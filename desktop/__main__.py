"""`python -m desktop`: the same as the `agency-desk` command."""

import sys

from desktop.cli import main

sys.exit(main())
