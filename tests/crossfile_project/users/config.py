from dagster import Config


class Settings(Config):
    factor: int = 2


class Unused(Config):
    label: str = "x"
