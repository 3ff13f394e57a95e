"""Coordinate systems an export may be written in: WGS-84 (the data's own), CGCS2000, GCJ-02.

The data is stored in WGS-84 and stays so; on request an export is converted on the way out.
CGCS2000 (EPSG:4490) is what government GIS in China works in; GCJ-02 is the shifted datum
Amap shows, for pasting points onto its maps. The ``crs`` parameter is declared once here
(:data:`CRS_PARAM`) for the web API, the command line and the OpenAPI document.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import shapely
from pyproj import CRS

from geo.datum import wgs84_to_gcj02_array
from geo.params import ParamError
from geo.query import Param

WGS84_ID = "EPSG:4326"
CGCS2000_ID = "EPSG:4490"
GCJ02_ID = "GCJ-02"

#: GCJ-02 has no EPSG code: a geographic CRS on the WGS-84 ellipsoid whose name and remark
#: say what it is, so GDAL, QGIS and GeoParquet readers show it and never take it for WGS-84.
GCJ02_WKT = (
    'GEOGCRS["GCJ-02 (Amap/Gaode display coordinates; not for analysis)",'
    'DATUM["GCJ-02 (obfuscated WGS 84, no published transformation)",'
    'ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],'
    'PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],'
    "CS[ellipsoidal,2],"
    'AXIS["geodetic longitude (Lon)",east,ORDER[1],ANGLEUNIT["degree",0.0174532925199433]],'
    'AXIS["geodetic latitude (Lat)",north,ORDER[2],ANGLEUNIT["degree",0.0174532925199433]],'
    'REMARK["WGS-84 shifted by the published GCJ-02 formula, for overlaying on Amap tiles. '
    'A display datum: distances and areas computed in it are wrong by up to several hundred metres."]]'
)


@dataclass(frozen=True)
class OutputCRS:
    """A coordinate system exports can be written in."""

    id: str
    title_zh: str
    title_en: str
    #: What pyproj and GDAL are given: an EPSG code or WKT.
    definition: str
    #: False for display datums (GCJ-02): distances and areas in it are wrong.
    for_analysis: bool
    note: str

    @property
    def crs(self) -> CRS:
        """Return the pyproj CRS."""
        return CRS.from_user_input(self.definition)

    def describe(self) -> dict[str, object]:
        """Return the CRS as export metadata records it."""
        return {
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "for_analysis": self.for_analysis,
            "note": self.note,
        }


OUTPUT_CRSES: dict[str, OutputCRS] = {
    c.id: c
    for c in (
        OutputCRS(
            WGS84_ID,
            "WGS-84（数据本身的坐标系）",
            "WGS-84 (the data's own)",
            WGS84_ID,
            True,
            "The data's own coordinates; longitude, latitude in degrees.",
        ),
        OutputCRS(
            CGCS2000_ID,
            "CGCS2000（国家大地坐标系）",
            "CGCS2000 (China Geodetic Coordinate System 2000)",
            CGCS2000_ID,
            True,
            "Converted from WGS-84 with PROJ; the two differ by centimetres, well below the "
            "data's precision (see the precision column).",
        ),
        OutputCRS(
            GCJ02_ID,
            "GCJ-02（高德/火星坐标，仅用于显示）",
            "GCJ-02 (Amap/Gaode display datum)",
            GCJ02_WKT,
            False,
            "A display datum for overlaying on Amap: WGS-84 shifted by the GCJ-02 formula "
            "(points outside China unchanged). Not for analysis: distances and areas are wrong.",
        ),
    )
}

#: Spellings accepted for each CRS (compared case-insensitively).
_SPELLINGS: dict[str, str] = {
    "4326": WGS84_ID,
    "epsg:4326": WGS84_ID,
    "wgs84": WGS84_ID,
    "wgs-84": WGS84_ID,
    "4490": CGCS2000_ID,
    "epsg:4490": CGCS2000_ID,
    "cgcs2000": CGCS2000_ID,
    "gcj02": GCJ02_ID,
    "gcj-02": GCJ02_ID,
}

#: The ``crs`` parameter of downloads (``/api/<collection>.<format>?crs=``, ``--crs``).
CRS_PARAM = Param(
    "crs",
    {"type": "string", "enum": list(OUTPUT_CRSES), "default": WGS84_ID},
    "coordinate system of the file: EPSG:4326 (WGS-84, default), EPSG:4490 (CGCS2000) or "
    "GCJ-02 (Amap display datum, not for analysis); also 4326, 4490, wgs84, cgcs2000, gcj02",
)


def parse_crs(raw: str | None) -> OutputCRS:
    """Return the CRS ``raw`` names (empty: WGS-84); ParamError listing the choices otherwise."""
    if raw in (None, ""):
        return OUTPUT_CRSES[WGS84_ID]
    found = _SPELLINGS.get(str(raw).strip().lower())
    if found is None:
        choices = ", ".join(OUTPUT_CRSES)
        raise ParamError("crs", f"must be one of {choices} / 坐标系须为 {choices} 之一")
    return OUTPUT_CRSES[found]


def gdf_to_output_crs(gdf: gpd.GeoDataFrame, target: OutputCRS) -> gpd.GeoDataFrame:
    """Return ``gdf`` (WGS-84) in ``target``: PROJ for EPSG codes, the GCJ-02 formula otherwise."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(WGS84_ID)
    if target.id == WGS84_ID:
        return gdf.set_crs(WGS84_ID, allow_override=True)
    if target.id == GCJ02_ID:
        shifted = shapely.transform(gdf.geometry.to_numpy(), wgs84_to_gcj02_array)
        out = gdf.copy()
        out[gdf.geometry.name] = gpd.GeoSeries(shifted, index=gdf.index)
        return out.set_crs(target.crs, allow_override=True)
    return gdf.to_crs(target.crs)
