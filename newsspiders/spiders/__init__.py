"""The generic news spider and the discovery strategies it shares across sources."""
