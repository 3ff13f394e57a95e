/* The page's data (#im-data, computed by layers/ui.py) and two DOM helpers.
 * Every value a filter reads comes from here, already computed in Python: each place's layer,
 * status per report year, search keys and point. Text from the data is escaped (esc) before
 * it reaches innerHTML. */

export const D = JSON.parse(document.getElementById('im-data').textContent);
export const T = D.t;
export const NAME = D.lang === 'zh' ? 'zh' : 'en';
export const OTHER = D.lang === 'zh' ? 'en' : 'zh';

/** Places by id; a place with a point gets `ll` ([lat, lon]) from the marker array. */
export const byId = {};
D.places.forEach(function (p) { byId[p.id] = p; p.ll = null; });
D.markers.forEach(function (row) { byId[row[2]].ll = [row[0], row[1]]; });

export const districtByZh = {};
D.districts.forEach(function (d) { districtByZh[d.zh] = d; });

export function $(id) { return document.getElementById(id); }

export function esc(value) {
  return String(value == null ? '' : value).replace(/[&<>"']/g, function (c) {
    return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
  });
}
