/* The query: PlaceQuery (geo/query.py) read from URL parameters and applied to the payload.
 * The rules are PlaceQuery.mask's, on values Python computed; nothing here derives a status,
 * a layer or a search key of a place. */
import { D } from './data.js';

/** geo.vocab.search_key: NFKC, lower case, no whitespace, punctuation, symbols or controls. */
export function norm(s) {
  return String(s || '').normalize('NFKC').toLowerCase()
    .replace(/[\s\u00b7\u30fb\p{P}\p{S}\p{Z}\p{C}]/gu, '');
}

/** Every field empty: every place with a point (PlaceQuery()). */
export function emptyQuery() {
  return { layers: null, categories: [], districts: [], years: null, statuses: [],
           bbox: null, q: '', text: '', unplaced: false, compare: null, changes: [] };
}

// geo.params.values: every comma-separated value, repeated parameters joined, blanks dropped.
function valuesOf(params, name) {
  var out = [];
  params.getAll(name).forEach(function (raw) {
    raw.split(',').forEach(function (v) { v = v.trim(); if (v) out.push(v); });
  });
  return out;
}
// geo.params.single: the last value, stripped.
export function singleOf(params, name) {
  var all = params.getAll(name);
  return all.length ? all[all.length - 1].trim() : '';
}
function unique(list) { return list.filter(function (v, i) { return list.indexOf(v) === i; }); }

/** geo.districts.district_by_name: full or short Chinese name, or English in any case. */
export function districtOf(name) {
  return D.districtNames[name] || D.districtNames[String(name).toLowerCase()] || null;
}

/** Return the query of URL parameters (PlaceQuery.parse; the server has validated them). */
export function queryFromParams(params) {
  var q = emptyQuery();
  var ids = D.layers.map(function (l) { return l.id; });
  var layers = valuesOf(params, 'layers').filter(function (v) { return ids.indexOf(v) >= 0; });
  q.layers = layers.length ? unique(layers) : null;
  q.categories = unique(valuesOf(params, 'category').filter(function (c) { return D.categories[c]; }));
  q.districts = unique(valuesOf(params, 'district').map(districtOf).filter(Boolean));
  var years = valuesOf(params, 'year').map(Number).filter(function (y) { return D.years.indexOf(y) >= 0; });
  q.years = years.length ? unique(years) : null;
  q.statuses = unique(valuesOf(params, 'status').filter(function (s) { return D.statuses[s]; }));
  var box = singleOf(params, 'bbox').split(',').map(Number);
  if (box.length === 6) box = [box[0], box[1], box[3], box[4]]; // 3rd and 6th: heights
  q.bbox = box.length === 4 && box.every(isFinite) ? box : null;
  q.text = singleOf(params, 'q').slice(0, 100);
  q.q = norm(q.text);
  q.unplaced = singleOf(params, 'unplaced') === '1';
  // compare: two report years in either order (geo.query._parse_compare), kept as "a,b".
  var pair = valuesOf(params, 'compare').map(Number).sort(function (a, b) { return a - b; }).join(',');
  q.compare = D.compare.pairs.indexOf(pair) >= 0 ? pair : null;
  q.changes = q.compare ? unique(valuesOf(params, 'change').filter(function (c) { return D.compare.codes[c]; })) : [];
  return q;
}

/** Set the query's parameters on `params` (what a download link or permalink carries). */
export function queryToParams(q, params) {
  if (q.layers) params.set('layers', q.layers.join(','));
  if (q.categories.length) params.set('category', q.categories.join(','));
  if (q.districts.length) params.set('district', q.districts.join(','));
  if (q.years) params.set('year', q.years.join(','));
  if (q.statuses.length) params.set('status', q.statuses.join(','));
  if (q.bbox) params.set('bbox', q.bbox.join(','));
  if (q.text) params.set('q', q.text);
  if (q.unplaced) params.set('unplaced', '1');
  if (q.compare) params.set('compare', q.compare);
  if (q.compare && q.changes.length) params.set('change', q.changes.join(','));
  return params;
}

/** PlaceQuery.mask for one place of the payload. */
export function matches(p, q) {
  if (!q.unplaced && !p.ll) return false;
  if (q.layers && q.layers.indexOf(p.layer) < 0) return false;
  if (q.categories.length && q.categories.indexOf(p.cat) < 0) return false;
  if (q.districts.length && q.districts.indexOf(p.d) < 0) return false;
  if (q.years && !q.years.some(function (y) { return p.years.indexOf(y) >= 0; })) return false;
  if (q.statuses.length) {
    // With years: the status of any of those years (either report of a year, most advanced).
    if (q.years) {
      if (!q.years.some(function (y) { return q.statuses.indexOf(p.tl[y]) >= 0; })) return false;
    } else if (q.statuses.indexOf(p.st) < 0) return false;
  }
  if (q.bbox) {
    var b = q.bbox; // min lon, min lat, max lon, max lat; a point on the edge is inside
    if (!p.ll || p.ll[1] < b[0] || p.ll[1] > b[2] || p.ll[0] < b[1] || p.ll[0] > b[3]) return false;
  }
  if (q.q && !(p.keys || []).some(function (k) { return k.indexOf(q.q) >= 0; })) return false; // keys: lazy.js
  if (q.compare) {
    // The change was worked out in Python (geo.compare): one code per pair of report years.
    var code = (p.cmp || '')[D.compare.pairs.indexOf(q.compare)];
    var wanted = (q.changes.length ? q.changes : D.compare.default).map(function (c) { return D.compare.codes[c]; });
    if (wanted.indexOf(code) < 0) return false;
  }
  return true;
}

/** The query with some fields replaced (the district panel, the choropleth, the dialog). */
export function withQuery(q, changes) {
  var out = {};
  Object.keys(q).forEach(function (k) { out[k] = q[k]; });
  Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
  return out;
}

/** The places of the payload the query keeps. */
export function placesMatching(q) {
  return D.places.filter(function (p) { return matches(p, q); });
}
