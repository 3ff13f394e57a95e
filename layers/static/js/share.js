/* The share dialog: permalink, embed code, and downloads of exactly what is drawn (the same
 * query as URL parameters). Places without a point are added only on request, counted. */
import { D, T, $, esc } from './data.js';
import { queryToParams, withQuery, placesMatching } from './filters.js';
import { state, stateParams } from './state.js';
import { toWgs } from './datum.js';

/** How many places the query keeps that have no point (not drawn, downloadable on request). */
export function unplacedCount() {
  return placesMatching(withQuery(state.query, { unplaced: true })).filter(function (p) { return !p.ll; }).length;
}

/** The query of the download: the page's, cut to the visible area when asked. */
export function downloadQuery(map) {
  var q = withQuery(state.query, {});
  if ($('im-dl-bbox').checked) {
    var b = map.getBounds(), sw = toWgs(b.getSouthWest()), ne = toWgs(b.getNorthEast());
    var view = [sw.lng, sw.lat, ne.lng, ne.lat].map(function (v) { return Number(v.toFixed(5)); });
    if (q.bbox) { // both: their intersection (empty when they do not meet)
      view = [Math.max(view[0], q.bbox[0]), Math.max(view[1], q.bbox[1]),
              Math.min(view[2], q.bbox[2]), Math.min(view[3], q.bbox[3])];
      view[2] = Math.max(view[0], view[2]); view[3] = Math.max(view[1], view[3]);
    }
    q.bbox = view;
  }
  return q;
}

function clampSize(id) {
  var v = Math.round(Number($(id).value)) || 600;
  return Math.min(4000, Math.max(200, v));
}

/** The host page's optional script: the embed posts {type: 'innovation-map:height', height}
 * to its parent (embed.js) when its caption needs more room; this grows the iframe to fit. A
 * page that strips scripts still shows the iframe at its given size. */
export function resizeSnippet(origin) {
  return '<script>addEventListener("message",function(e){var d=e.data;' +
    'if(e.origin!==' + JSON.stringify(origin) + '||!d||d.type!=="innovation-map:height")return;' +
    'document.querySelectorAll("iframe").forEach(function(f){' +
    'if(f.contentWindow===e.source)f.style.height=d.height+"px"})})</' + 'script>';
}

/** Fill the dialog's links for the current state; `view()` is the map's centre and zoom. */
export function updateShare(map, view) {
  var origin = location.origin + D.links;
  var here = stateParams(D.lang, view()).toString();
  $('im-permalink').value = origin + '/?' + here;
  var eLang = $('im-e-lang').value;
  var q = $('im-e-view').checked ? stateParams(eLang, view()) : new URLSearchParams({ lang: eLang });
  q.set('controls', $('im-e-controls').checked ? '1' : '0');
  q.set('scrollzoom', $('im-e-scroll').checked ? '1' : '0');
  q.set('fixed', $('im-e-fixed').checked ? '1' : '0');
  q.set('caption', $('im-e-caption').checked ? '1' : '0');
  var src = origin + '/embed?' + q.toString();
  $('im-embed-code').value = '<iframe src="' + esc(src) + '" width="' + clampSize('im-e-width') +
    '" height="' + clampSize('im-e-height') + '" style="border:0" loading="lazy" title="' +
    esc(T.title) + '" allowfullscreen></iframe>\n' + resizeSnippet(location.origin);
  var n = unplacedCount();
  $('im-dl-unplaced').checked = state.query.unplaced;
  $('im-dl-unplaced').disabled = n === 0 && !state.query.unplaced;
  $('im-dl-unplaced-label').textContent = T.include_unplaced.replace('{n}', String(n));
  var f = queryToParams(downloadQuery(map), new URLSearchParams());
  $('im-dl-data').href = origin + '/api/places.' + $('im-dl-format').value + (f.toString() ? '?' + f.toString() : '');
  $('im-dl-html').href = origin + '/export/map.html?' + here;
  $('im-dl-png').href = origin + '/export/map.png?' + here + '&width=1920&height=1080&scale=2';
  $('im-dl-pdf').href = origin + '/export/map.pdf?' + here + '&width=1920&height=1080';
}

/** Wire the dialog; `onUnplaced()` runs when the places-without-a-point box changes. */
export function setupShare(map, view, onUnplaced) {
  function update() { updateShare(map, view); }
  $('im-e-lang').value = D.lang;
  $('im-share-open').addEventListener('click', function () { update(); $('im-share').showModal(); });
  ['im-e-width', 'im-e-height', 'im-e-lang', 'im-e-view', 'im-e-controls', 'im-e-scroll',
   'im-e-fixed', 'im-e-caption', 'im-dl-format', 'im-dl-bbox'].forEach(function (id) {
    $(id).addEventListener('input', update);
    $(id).addEventListener('change', update);
  });
  $('im-dl-unplaced').addEventListener('change', function (e) {
    state.query.unplaced = e.target.checked; // part of the query: the permalink keeps it too
    onUnplaced();
    update();
  });
  $('im-share').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-copy]');
    if (!b) return;
    var field = $(b.getAttribute('data-copy'));
    function done() { $('im-copied').textContent = T.copied; }
    // execCommand answers at once inside the click; the async Clipboard API is the fallback.
    field.select();
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (err) { copied = false; }
    if (copied) done();
    else if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, function () {});
  });
  return update;
}
