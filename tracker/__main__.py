from tracker.cli import main

if __name__ == "__main__":  # also imported by worker processes, which must not run the CLI
    main()
