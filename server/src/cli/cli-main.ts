// Filled in by the CLI work.
