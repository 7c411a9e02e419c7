import dagster as dg


@dg.asset
def raw_vendor_file() -> str:
    return "sku,price\nA,1\n"


@dg.asset
def parsed_vendor_file(raw_vendor_file: str) -> list[str]:
    return raw_vendor_file.splitlines()[1:]


@dg.asset(deps=[parsed_vendor_file])
def archive_landing_file() -> None:
    return None
