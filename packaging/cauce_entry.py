"""Entry script for the PyInstaller bundle: the same ``cauce`` command as the console script."""

import multiprocessing

if __name__ == "__main__":
    # a frozen executable started as a worker process (the scheduler's, CAUCE_SCHEDULER_PROCESSES)
    # becomes that worker here instead of starting Cauce again
    multiprocessing.freeze_support()
    from app.cli import main

    main()
