"""A shop: unpartitioned customers, daily-partitioned orders, two jobs sharing assets, a schedule."""
