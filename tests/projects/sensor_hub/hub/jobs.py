import dagster as dg

from hub.assets import raw_files

ingest_job = dg.define_asset_job("ingest_files", selection=dg.AssetSelection.assets(raw_files))
vendor_job = dg.define_asset_job("vendor_refresh", selection=["vendor_snapshot"])
