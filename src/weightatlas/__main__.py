"""`python -m weightatlas inspect FILE` and `python -m weightatlas convert FILE -o OUT`."""
import sys

from weightatlas.cli import main

if __name__ == "__main__":
    sys.exit(main())
