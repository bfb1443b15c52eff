"""`python -m archiver` is the same as the `archiver` console script."""

from archiver.cli import main

if __name__ == "__main__":
    main()
