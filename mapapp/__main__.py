"""``python -m mapapp`` runs the ``innovation-map`` command."""

from mapapp.cli import main

raise SystemExit(main())
