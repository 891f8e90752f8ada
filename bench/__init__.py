"""Benchmarks for Musyawarah: `make bench` (not part of the test suite)."""
