"""Load: many threads, thousands of requests, dropped connections."""
