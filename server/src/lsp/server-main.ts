// Filled in by the language server work.
