"""Stand-ins for the outside world, shared by `make demo`, the tests and the benchmarks:
the fixture news sites and their server, a translation server speaking real providers' APIs,
throwaway PostgreSQL schemas, and a TCP proxy that can cut a connection."""
