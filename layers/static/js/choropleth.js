/* Districts coloured by how many places the query keeps in each (the district filter replaced
 * by that district; a metric other than "all" keeps one category). The same counts appear in
 * the district panel, so every number on the page comes from one filter. */
import { D, T, esc } from './data.js';
import { matches, withQuery } from './filters.js';
import { state } from './state.js';

const GNBU = ['#f0f9e8', '#bae4bc', '#7bccc4', '#43a2ca', '#0868ac']; // ColorBrewer GnBu, CVD-safe
const SELECTED = '#000000';

/** {district (zh): places drawn there under the query}; a `metric` other than 'all' keeps one category. */
export function districtCounts(metric) {
  var q = withQuery(state.query, { districts: [] });
  var out = {};
  D.districts.forEach(function (d) { out[d.zh] = 0; });
  D.places.forEach(function (p) {
    if (p.ll && Object.prototype.hasOwnProperty.call(out, p.d) && (!metric || metric === 'all' || p.cat === metric) && matches(p, q)) out[p.d] += 1;
  });
  return out;
}

function classBreaks(counts) {
  var max = 0;
  Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
  return { step: Math.max(1, Math.ceil(max / GNBU.length)), max: max };
}

function renderLegend(br) {
  var box = document.getElementById('im-legend');
  if (!br) { box.innerHTML = ''; return; }
  var title = state.metric === 'all' ? T.metric_all : D.categories[state.metric].title;
  var rows = ['<li><span class="im-sw" style="background:#ffffff"></span>0</li>'];
  for (var i = 0; i < GNBU.length; i++) {
    var lo = i * br.step + 1, hi = (i + 1) * br.step;
    if (lo > Math.max(br.max, 1)) break;
    rows.push('<li><span class="im-sw" style="background:' + GNBU[i] + '"></span>' +
              (lo === hi ? lo : lo + '–' + hi) + '</li>');
  }
  box.innerHTML = '<p><b>' + esc(T.legend_metric) + '</b>: ' + esc(title) + '</p><ul>' + rows.join('') + '</ul>';
}

/** Restyle the district polygons: base colour or choropleth, the selected district outlined. */
export function restyleDistricts(districtLayer) {
  var withTiles = state.basemap !== 'none';
  var counts = state.metric ? districtCounts(state.metric) : null;
  var br = counts ? classBreaks(counts) : null;
  var selected = state.query.districts;
  districtLayer.eachLayer(function (layer) {
    var zh = layer.feature.properties.name_zh;
    var style = { color: '#7a7a7a', weight: 1, fillColor: '#f4f1ea', fillOpacity: withTiles ? 0.05 : 1 };
    if (br) {
      var v = counts[zh] || 0;
      style.fillColor = v === 0 ? '#ffffff' : GNBU[Math.min(GNBU.length - 1, Math.floor((v - 1) / br.step))];
      style.fillOpacity = withTiles ? 0.6 : 1;
    }
    if (selected.indexOf(zh) >= 0) { style.color = SELECTED; style.weight = 3; }
    layer.setStyle(style);
  });
  renderLegend(br);
}
