"""Build the site: `python build.py [command]`, the same as the `timeline` command."""

import sys

from timeline.cli import main

if __name__ == "__main__":
    sys.exit(main())
