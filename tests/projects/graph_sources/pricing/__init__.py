"""Graph-backed assets (``@graph_asset``, ``AssetsDefinition.from_graph``) and an observable source asset."""

import dagster as dg

from pricing import assets
from pricing.jobs import pricing_job

defs = dg.Definitions(assets=dg.load_assets_from_modules([assets]), jobs=[pricing_job])
