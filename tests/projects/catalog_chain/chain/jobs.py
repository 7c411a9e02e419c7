import dagster as dg

from chain.ingest import parsed_vendor_file, raw_vendor_file

ingest_vendor_file_job = dg.define_asset_job(
    "ingest_vendor_file_job", selection=dg.AssetSelection.assets(raw_vendor_file, parsed_vendor_file)
)
archive_vendor_file_job = dg.define_asset_job("archive_vendor_file_job", selection=["archive_landing_file"])
publish_job = dg.define_asset_job("publish_job", selection=dg.AssetSelection.assets("storefront_sync"))
