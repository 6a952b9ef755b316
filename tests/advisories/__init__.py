"""One test per published advisory class."""
