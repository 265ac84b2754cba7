"""Entry script for the PyInstaller bundle: the same ``cauce`` command as the console script."""

from app.cli import main

if __name__ == "__main__":
    main()
