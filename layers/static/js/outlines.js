/* The district and Delta outlines: compact in the page (layers/outlines.py: arcs on a grid,
 * shared borders once, Google's polyline characters), decoded here into GeoJSON and added to
 * the two layers folium made for them (with their styles and tooltips, but no geometry). */
import { D } from './data.js';

/** Integers written by layers/outlines.py polyline_encode. */
function integers(text) {
  var out = [], shift = 0, result = 0;
  for (var i = 0; i < text.length; i++) {
    var b = text.charCodeAt(i) - 63;
    result |= (b & 0x1f) << shift;
    shift += 5;
    if (b < 0x20) {
      out.push(result & 1 ? ~(result >> 1) : result >> 1);
      shift = 0; result = 0;
    }
  }
  return out;
}

/** GeoJSON features (MultiPolygons, [lon, lat]) of one document, as layers/outlines.py decode. */
export function decodeOutlines(doc) {
  var arcs = doc.arcs.map(function (text) {
    var v = integers(text), x = 0, y = 0, pts = [];
    for (var i = 0; i < v.length; i += 2) {
      x += v[i]; y += v[i + 1];
      pts.push([x * doc.step, y * doc.step]);
    }
    return pts;
  });
  return doc.features.map(function (f) {
    var polygons = f.g.map(function (rings) {
      return rings.map(function (ids) {
        var ring = [];
        ids.forEach(function (id) {
          var pts = id >= 0 ? arcs[id] : arcs[~id].slice().reverse();
          for (var k = ring.length ? 1 : 0; k < pts.length; k++) ring.push(pts[k]); // shared ends once
        });
        return ring;
      });
    });
    return { type: 'Feature', properties: f.p, geometry: { type: 'MultiPolygon', coordinates: polygons } };
  });
}

/** Draw the outlines into folium's layers, under everything else (as folium would have). */
export function drawOutlines() {
  var land = window[D.vars.context], districts = window[D.vars.districts];
  districts.addData(decodeOutlines(D.outlines.districts));
  land.addData(decodeOutlines(D.outlines.context));
  districts.bringToBack();
  land.bringToBack();
}
