from .command.build import main

raise SystemExit(main())
