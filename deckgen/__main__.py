import sys

try:
    from deckgen.cli import main
except KeyboardInterrupt:          # Ctrl-C while the modules load: the same one line as later
    print("deckgen: interrupted", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
