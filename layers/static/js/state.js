/* The page's state (a query, the choropleth metric, the basemap) and its URL parameters.
 * A served page reads its address; an offline file or a PNG render carries its view in
 * #im-state, because a file has no query string. */
import { D, OTHER } from './data.js';
import { emptyQuery, queryFromParams, queryToParams, singleOf } from './filters.js';

export const state = { query: emptyQuery(), metric: '', basemap: 'none', place: null };

const presetEl = document.getElementById('im-state');
export const preset = presetEl ? JSON.parse(presetEl.textContent) : null;
export const OFFLINE = !!preset;
export const EMBED = preset ? !!preset.embed : /\/embed\/?$/.test(location.pathname);
/** A render for slides (PNG, PDF): title, map, legend and source in bands that never overlap. */
export const SLIDE = !!(preset && preset.slide);
/** The parameters the page was opened with. */
export const startParams = new URLSearchParams(preset ? preset.query : location.search);

/** Set the whole state from URL parameters: the page's load and innovationMap.applyQuery. */
export function stateFromParams(params) {
  state.query = queryFromParams(params);
  var metric = singleOf(params, 'metric');
  state.metric = metric === 'all' || metric === 'density' || D.categories[metric] ? metric : '';
  var basemap = singleOf(params, 'basemap') || D.defaultBasemap;
  state.basemap = D.basemaps.some(function (b) { return b.id === basemap; }) ? basemap : D.basemaps[0].id;
}

/** The parameters of the state, plus the view ({lat, lon, zoom}) when given. */
export function stateParams(lang, view) {
  var p = new URLSearchParams();
  p.set('lang', lang);
  queryToParams(state.query, p);
  if (state.metric) p.set('metric', state.metric);
  p.set('basemap', state.basemap);
  if (state.place) p.set('place', state.place); // the open popup: a link shares one place
  if (view) {
    p.set('center', view.lat.toFixed(4) + ',' + view.lon.toFixed(4));
    p.set('zoom', String(view.zoom));
  }
  return p;
}

/** Parameters the state writes: a link that carries the state replaces all of them. */
const STATE_KEYS = ['lang', 'layers', 'category', 'district', 'year', 'status', 'bbox', 'q',
                    'unplaced', 'metric', 'basemap', 'center', 'zoom'];

/** The address of this page in the other language: every current URL parameter (an embed's
 * presets too), with the state's own replaced by the current state and view. */
export function otherLangParams(view) {
  var p = new URLSearchParams(location.search);
  STATE_KEYS.forEach(function (k) { p.delete(k); });
  stateParams(OTHER, view).forEach(function (v, k) { p.set(k, v); });
  return p;
}
