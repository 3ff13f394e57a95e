/* The display-time datum shift: WGS-84 data drawn on GCJ-02 tiles (Gaode) is moved to GCJ-02
 * while those tiles are shown. Data, URLs and downloads stay WGS-84. */

/** The datum overlays are drawn in now ('wgs84' or 'gcj02'). */
export const datum = { current: 'wgs84' };

// The published forward formula, the same as geo/datum.py.
const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.00669342162296594323;

export function toGcj(lat, lon) {
  var PI = Math.PI, A = KRASOVSKY_A, EE = KRASOVSKY_EE;
  var x = lon - 105.0, y = lat - 35.0;
  var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
  dLat += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3;
  dLat += (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
  var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
  dLon += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3;
  dLon += (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
  var rad = lat / 180 * PI;
  var magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
  var sq = Math.sqrt(magic);
  dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * PI);
  dLon = (dLon * 180) / (A / sq * Math.cos(rad) * PI);
  return L.latLng(lat + dLat, lon + dLon);
}

/** A point of the data as drawn now. */
export function display(ll) { return datum.current === 'gcj02' ? toGcj(ll.lat, ll.lng) : ll; }

/** A point as drawn now, back in WGS-84 (one step of inversion: error far below 1e-5°). */
export function toWgs(ll) {
  if (datum.current !== 'gcj02') return ll;
  var g = toGcj(ll.lat, ll.lng);
  return L.latLng(2 * ll.lat - g.lat, 2 * ll.lng - g.lng);
}

function walkPaths(layer, fn) {
  if (layer instanceof L.Path) fn(layer);
  else if (layer.eachLayer && !(L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup)) {
    layer.eachLayer(function (c) { walkPaths(c, fn); });
  }
}
function mapDeep(x, f) { return Array.isArray(x) ? x.map(function (y) { return mapDeep(y, f); }) : f(x); }

/** Redraw every polygon, line and circle of `groups` in `newDatum`. */
export function shiftPaths(groups, newDatum) {
  datum.current = newDatum;
  groups.forEach(function (g) {
    walkPaths(g, function (path) {
      if (path.getLatLngs) {
        if (!path._imOrig) path._imOrig = mapDeep(path.getLatLngs(), function (ll) { return L.latLng(ll.lat, ll.lng); });
        path.setLatLngs(mapDeep(path._imOrig, display));
      } else if (path.getLatLng) { // aggregated cells are circle markers
        if (!path._imOrig) path._imOrig = path.getLatLng();
        path.setLatLng(display(path._imOrig));
      }
    });
  });
}
