/* Districts coloured by how many places the query keeps in each (the district filter replaced
 * by that district; a metric other than "all" keeps one category, "density" divides by the
 * district's area). The same counts appear in the district panel, so every number on the page
 * comes from one filter. The classes are stated in the panel and in the map's legend. */
import { D, T, esc } from './data.js';
import { matches, withQuery } from './filters.js';
import { state } from './state.js';

const GNBU = ['#f0f9e8', '#bae4bc', '#7bccc4', '#43a2ca', '#0868ac']; // ColorBrewer GnBu, CVD-safe
const SELECTED = '#000000';
const LAND = '#f4f1ea';
const G60_DISTRICT = '松江区'; // Shanghai's city of the G60 corridor

/** {district (zh): places drawn there under the query}; a `metric` other than 'all' or
 * 'density' keeps one category. */
export function districtCounts(metric) {
  var q = withQuery(state.query, { districts: [] });
  var out = {};
  var oneCat = metric && metric !== 'all' && metric !== 'density';
  D.districts.forEach(function (d) { out[d.zh] = 0; });
  D.places.forEach(function (p) {
    if (p.ll && Object.prototype.hasOwnProperty.call(out, p.d) && (!oneCat || p.cat === metric) && matches(p, q)) out[p.d] += 1;
  });
  return out;
}

/** The value each district is coloured by: a count, or places per 100 km². */
function districtValues(metric) {
  var counts = districtCounts(metric);
  if (metric !== 'density') return counts;
  var out = {};
  D.carto.districts.forEach(function (d) { out[d.zh] = d.km2 > 0 ? 100 * (counts[d.zh] || 0) / d.km2 : 0; });
  return out;
}

function niceStep(x, whole) {
  if (whole) return Math.max(1, Math.ceil(x));
  if (x <= 0) return 1;
  var p = Math.pow(10, Math.floor(Math.log10(x)));
  var f = [1, 2, 2.5, 5, 10].filter(function (k) { return k * p >= x; })[0];
  return f * p;
}

function classBreaks(values, whole) {
  var max = 0;
  Object.keys(values).forEach(function (k) { max = Math.max(max, values[k]); });
  return { step: niceStep(max / GNBU.length, whole), max: max, whole: whole };
}

function classOf(v, br) {
  if (v <= 0) return -1;
  var i = br.whole ? Math.floor((v - 1) / br.step) : Math.ceil(v / br.step) - 1;
  return Math.max(0, Math.min(GNBU.length - 1, i));
}

function fmt(v) { return String(Math.round(v * 100) / 100); }

function legendClasses(br) {
  var title = state.metric === 'all' ? T.metric_all : state.metric === 'density' ? D.carto.t.per_km2
    : D.categories[state.metric].title;
  var rows = ['<li><span class="im-sw" style="background:#ffffff"></span>0</li>'];
  for (var i = 0; i < GNBU.length; i++) {
    var lo = br.whole ? i * br.step + 1 : i * br.step, hi = (i + 1) * br.step;
    if (br.whole ? lo > Math.max(br.max, 1) : lo >= br.max && i > 0) break;
    var words = lo === hi ? fmt(lo) : fmt(lo) + '–' + fmt(hi);
    rows.push('<li><span class="im-sw" style="background:' + GNBU[i] + '"></span>' + words + '</li>');
  }
  return '<p><b>' + esc(T.legend_metric) + '</b>: ' + esc(title) + '</p><ul>' + rows.join('') + '</ul>';
}

function renderLegend(br) {
  var html = br ? legendClasses(br) : '';
  document.getElementById('im-legend').innerHTML = html;
  var inMap = document.getElementById('im-legend-classes');
  if (inMap) {
    inMap.innerHTML = br ? '<h3>' + esc(D.carto.t.choropleth) + '</h3>' + html : '';
  }
}

/** Restyle the district polygons: base colour or choropleth, the selected district outlined;
 * the Delta's land goes faint under tiles. */
export function restyleDistricts(districtLayer) {
  var withTiles = state.basemap !== 'none';
  var values = state.metric ? districtValues(state.metric) : null;
  var br = values ? classBreaks(values, state.metric !== 'density') : null;
  var selected = state.query.districts;
  districtLayer.eachLayer(function (layer) {
    var zh = layer.feature.properties.name_zh;
    var style = { color: '#7a7a7a', weight: 1, dashArray: null, fillColor: LAND, fillOpacity: withTiles ? 0.05 : 1 };
    if (zh === G60_DISTRICT) { style.color = '#D55E00'; style.weight = 1.5; style.dashArray = '4 3'; }
    if (br) {
      var k = classOf(values[zh] || 0, br);
      style.fillColor = k < 0 ? '#ffffff' : GNBU[k];
      style.fillOpacity = withTiles ? 0.6 : 1;
    }
    if (selected.indexOf(zh) >= 0) { style.color = SELECTED; style.weight = 3; style.dashArray = null; }
    layer.setStyle(style);
  });
  var land = window[D.vars.context];
  if (land) land.setStyle({ fillOpacity: withTiles ? 0 : 1, opacity: withTiles ? 0.4 : 1 });
  renderLegend(br);
}
