/* The page's data (#im-data, computed by layers/ui.py) and two DOM helpers.
 * Every value a filter reads comes from here, already computed in Python: each place's layer,
 * status per report year, search keys and point. Text from the data is escaped (esc) before
 * it reaches innerHTML. */

export const D = JSON.parse(document.getElementById('im-data').textContent);
unpackPlaces(D);
export const T = D.t;
export const NAME = D.lang === 'zh' ? 'zh' : 'en';
export const OTHER = D.lang === 'zh' ? 'en' : 'zh';

/** Places by id; a place with a point gets `ll` ([lat, lon]) from the marker array. */
export const byId = {};
D.places.forEach(function (p) { byId[p.id] = p; p.ll = null; });
D.markers.forEach(function (row) { byId[row[2]].ll = [row[0], row[1]]; });

/** Rebuild D.places and D.markers ([lat, lon, id, layer, precision]) from the compact rows
 * layers/ui.py pack_payload writes: repeated values are indices into vocabularies. Search keys
 * and popups are not here: lazy.js loads them when first needed. */
function unpackPlaces(d) {
  var v = d.pl.v;
  d.places = [];
  d.markers = [];
  d.pl.rows.forEach(function (r) {
    var p = { id: r[0], zh: r[1], en: r[2], cat: v.cat[r[3]], d: v.d[r[4]], years: v.years[r[5]],
              tl: v.tl[r[6]], st: v.st[r[7]], layer: v.layer[r[8]], cmp: r[9] };
    d.places.push(p);
    if (r.length > 10) d.markers.push([r[10], r[11], p.id, p.layer, v.prec[r[12]]]);
  });
  delete d.pl;
}

export const districtByZh = {};
D.districts.forEach(function (d) { districtByZh[d.zh] = d; });

export function $(id) { return document.getElementById(id); }

export function esc(value) {
  return String(value == null ? '' : value).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
