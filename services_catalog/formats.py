"""The catalogue file formats by name, for callers (the CLI) that choose one at run time."""

from enum import StrEnum
from pathlib import PurePath

from services_catalog.datafile import dump_datafile, load_datafile
from services_catalog.hsds import dump_hsds
from services_catalog.hsds_reading import load_hsds
from services_catalog.records import CatalogueRecord


class CatalogueFormat(StrEnum):
    YAML = "yaml"  # the project's own data file
    HSDS = "hsds"  # Open Referral HSDS 3.0 JSON

    @classmethod
    def for_path(cls, path: str | PurePath) -> "CatalogueFormat":
        """JSON files are HSDS; everything else is our YAML data file."""
        return cls.HSDS if PurePath(path).suffix.lower() == ".json" else cls.YAML


def read_catalogue(text: str, file_format: CatalogueFormat) -> CatalogueRecord:
    """Parse and validate; raises `problems.CatalogueError` listing every problem."""
    return load_hsds(text) if file_format is CatalogueFormat.HSDS else load_datafile(text)


def write_catalogue(catalogue: CatalogueRecord, file_format: CatalogueFormat) -> str:
    return dump_hsds(catalogue) if file_format is CatalogueFormat.HSDS else dump_datafile(catalogue)
