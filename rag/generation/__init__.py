"""Answer generators: the one-method ``Generator`` protocol, its implementations and registry."""
