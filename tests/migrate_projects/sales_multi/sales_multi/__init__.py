"""Multi-assets with AssetOut, Output(value, metadata=...), asset checks and a MaterializeResult asset."""
