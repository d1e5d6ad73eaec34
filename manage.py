#!/usr/bin/env python
"""Same as the `netral` console script."""

from netral.__main__ import main

if __name__ == "__main__":
    main()
