import dagster as dg

pricing_job = dg.define_asset_job("pricing_job", selection=dg.AssetSelection.all())
