/* Markers made in the browser from one data array (the pattern of folium's
 * FastMarkerCluster): each row is [lat, lon, id, layer, precision]. Crowded layers cluster,
 * with a ring of category colours as the cluster icon; places at one point share a marker
 * that lists them; places known only by district get no pin. Tooltips are the names, popups
 * the escaped HTML Python made for each place (loaded when the first one opens: lazy.js). */
import { D, T, esc, byId, NAME, OTHER } from './data.js';
import { display } from './datum.js';
import { lazyNow, loadLazy } from './lazy.js';

/** Every place of D.markers: id → {marker (null when known only by district), unit, layer, ll,
 * shown, district}. Places at one coordinate share one marker (one `unit`). */
export const records = {};
/** Every layer: id → {fg (folium's FeatureGroup), spec, container (fg or its cluster group)}. */
export const layerGroups = {};
/** Every marker: {marker, ids, layer, shown}; a marker is shown while one of its places is. */
const units = [];
/** A pin's outer diameter in px (.pm: its disc and white border). The icon's size and anchor
 * and where a name beside a pin starts (labels.js) all derive from it. */
export const PIN = 30;
/** A name beside a pin starts this far right of the point: past the pin's radius and the
 * precision badge that sticks out of its lower right (.pm-badge). */
export const BESIDE_PIN = PIN / 2 + 6;

function iconHtml(cat, precision, count) {
  var style = D.categories[cat] || { color: '#000000', icon: 'location-dot' };
  var badge = count > 1 ? String(count) : D.precision.badges[precision] || '?';
  var hollow = precision === 'area';
  // A circle in the category colour with the precision letter (or the number of places at
  // this point): readable without colour. An area point is hollow and dashed: approximate.
  var look = hollow ? 'background:#fff;border-color:' + esc(style.color) + ';color:' + esc(style.color)
    : 'background:' + esc(style.color);
  return '<div class="pm pm-' + esc(precision) + (count > 1 ? ' pm-group' : '') + '" style="width:' + PIN + 'px;height:' + PIN + 'px;' + look +
    '" title="' + esc(D.precision.word) + ': ' + esc(D.precision.badges[precision] || '?') +
    '"><i class="fa-solid fa-' + esc(style.icon) + '"></i><span class="pm-badge">' + esc(badge) + '</span></div>';
}

function tooltipHtml(places) {
  if (places.length === 1) return '<div><b>' + esc(places[0][NAME]) + '</b> · ' + esc(places[0][OTHER]) + '</div>';
  return '<div><b>' + esc(D.carto.t.places_here.replace('{n}', places.length)) + '</b><br>' +
    places.map(function (p) { return esc(p[NAME]); }).join('<br>') + '</div>';
}

function groupPopup(ids, popups) {
  return '<div class="im-group-popup"><p><b>' + esc(D.carto.t.places_here.replace('{n}', ids.length)) +
    '</b></p>' + ids.map(function (id) { return popups[id] || ''; }).join('<hr>') + '</div>';
}

/** What a popup says while (or if) its text cannot be shown: the names, and a link. */
function waitingPopup(ids, failed) {
  var p = byId[ids[0]];
  var more = failed && ids.length === 1
    ? ' <a href="' + esc(D.links) + '/places/' + encodeURIComponent(p.id) + '?lang=' + D.lang + '">' + esc(T.details) + '</a>' : '';
  return '<div class="im-popup-wait"' + (failed ? '' : ' aria-busy="true"') + '>' + tooltipHtml(ids.map(function (id) { return byId[id]; })) +
    '<p class="im-muted">' + esc(failed ? T.load_failed : T.loading) + more + '</p></div>';
}

/** The places of a marker that the map shows now (showOnly's `keep`), the one it was opened
 * for (leadWith) first; all of them while none is shown. */
export function placesOf(marker) {
  var all = marker.options.placeIds;
  var ids = all.filter(function (id) { return records[id].shown; });
  if (!ids.length) ids = all.slice();
  var lead = ids.indexOf(marker._imLead);
  if (lead > 0) ids.unshift(ids.splice(lead, 1)[0]);
  return ids;
}
/** Open `marker` for its place `id` (a search pick, place=): listed first; null to forget it. */
export function leadWith(marker, id) { marker._imLead = id; }

/** A marker's popup content (Leaflet calls it when the popup opens or updates). */
function popupContent(marker) {
  var ids = placesOf(marker), popups = lazyNow('popups');
  if (!popups) return waitingPopup(ids, marker._imPopupFailed);
  return ids.length > 1 ? groupPopup(ids, popups) : popups[ids[0]] || '';
}

/** The first popup opened loads every popup's text, then shows its own. */
function fillPopup(e) {
  if (lazyNow('popups')) return;
  var marker = e.target;
  loadLazy('popups').then(function () {
    if (!marker.isPopupOpen()) return;
    marker.getPopup().update();
    marker._map.fire('im:popupfilled', { popup: marker.getPopup() }); // as popupopen, with its text
  }, function () {
    marker._imPopupFailed = true;
    if (marker.isPopupOpen()) marker.getPopup().update();
  });
}

/** A cluster's icon: a ring of the category colours of the places inside, and their number. */
function clusterIcon(cluster) {
  var counts = {}, total = 0;
  cluster.getAllChildMarkers().forEach(function (m) {
    (m.options.cats || []).forEach(function (c) { counts[c] = (counts[c] || 0) + 1; total += 1; });
  });
  var n = cluster.getChildCount();
  var size = n < 10 ? 34 : n < 100 ? 40 : 46, r = size / 2 - 4, len = 2 * Math.PI * r, at = 0;
  var rings = Object.keys(counts).sort().map(function (c) {
    var part = len * counts[c] / total;
    var color = (D.categories[c] || { color: '#000' }).color;
    var arc = '<circle r="' + r + '" cx="' + size / 2 + '" cy="' + size / 2 + '" fill="none" stroke="' + esc(color) +
      '" stroke-width="7" stroke-dasharray="' + part.toFixed(2) + ' ' + (len - part).toFixed(2) +
      '" stroke-dashoffset="' + (-at).toFixed(2) + '" data-cat="' + esc(c) + '"></circle>';
    at += part;
    return arc;
  }).join('');
  var svg = '<svg width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '" aria-hidden="true">' +
    '<circle r="' + (r + 3.5) + '" cx="' + size / 2 + '" cy="' + size / 2 + '" fill="#fff"></circle>' +
    '<g transform="rotate(-90 ' + size / 2 + ' ' + size / 2 + ')">' + rings + '</g></svg>';
  return L.divIcon({ html: svg + '<span>' + n + '</span>', className: 'im-cluster', iconSize: [size, size] });
}

/** A layer's share of the common cluster group: its markers are in `cluster` while it is on
 * the map (inside its layer's fg), so the layer control still turns them on and off. */
function clusterPart(cluster) {
  var part = L.layerGroup();
  part.cluster = cluster;
  var on = function () { return !!part._map; };
  part.onAdd = function () { cluster.addLayers(part.getLayers()); };
  part.onRemove = function () { cluster.removeLayers(part.getLayers()); };
  part.addLayers = function (ms) { ms.forEach(function (m) { part._layers[L.stamp(m)] = m; }); if (on()) cluster.addLayers(ms); };
  part.removeLayers = function (ms) { ms.forEach(function (m) { delete part._layers[L.stamp(m)]; }); if (on()) cluster.removeLayers(ms); };
  part.getVisibleParent = function (m) { return cluster.getVisibleParent(m); };
  /** markercluster's zoomToShowLayer, never past zoom `most`: a marker still in a cluster there
   * (places at one point never split) is shown by spiderfying that cluster. */
  part.zoomToShowLayer = function (m, done, most) {
    var map = cluster._map, parent = m.__parent; // the deepest cluster holding m: m is alone above its _zoom
    if (!most || !parent) { cluster.zoomToShowLayer(m, done); return; }
    map.setView(m.getLatLng(), Math.max(map.getZoom(), Math.min(most, parent._zoom + 1)), { animate: false });
    var waited = 0;
    (function show() {
      if (cluster._inZoomAnimation && waited++ < 40) { setTimeout(show, 50); return; } // clusters splitting
      var top = cluster.getVisibleParent(m);
      if (!top || top === m || !top.spiderfy) { done(); return; }
      cluster.once('spiderfied', function () { done(); });
      top.spiderfy();
    })();
  };
  part.getBounds = function () { // its layer's fg.getBounds() asks each child for its bounds
    return L.latLngBounds(part.getLayers().map(function (m) { return m.getLatLng(); }));
  };
  return part;
}

function addAll(container, markers) {
  if (container.addLayers) container.addLayers(markers); // a cluster group: one batch
  else markers.forEach(function (m) { container.addLayer(m); });
}
function removeAll(container, markers) {
  if (container.removeLayers) container.removeLayers(markers);
  else markers.forEach(function (m) { container.removeLayer(m); });
}

/** Make the markers of D.markers: one per coordinate and layer, none for district-only places. */
export function createMarkers() {
  // One cluster group for every crowded layer, so a cluster's ring shows the mix of
  // categories inside it; each layer reaches it through a sub-group in the layer's fg.
  var shared = null;
  D.layers.forEach(function (spec) {
    var fg = window[spec.var];
    var container = fg;
    if (spec.cluster) {
      if (!shared) shared = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon }).addTo(fg._map || window[D.vars.map]);
      container = clusterPart(shared).addTo(fg);
    }
    layerGroups[spec.id] = { fg: fg, spec: spec, container: container };
  });
  var byLayer = {};
  var popupOptions = { maxWidth: 360, maxHeight: Math.max(200, Math.min(420, window.innerHeight - 160)) };
  var atPoint = {};
  D.markers.forEach(function (row) {
    var id = row[2], layer = row[3], precision = row[4];
    var ll = L.latLng(row[0], row[1]); // Leaflet takes [lat, lon], as the array holds them
    byId[id].prec = precision;
    var rec = { marker: null, unit: null, layer: layer, ll: ll, shown: true, district: precision === 'district' };
    records[id] = rec;
    if (rec.district) return; // counted on its district (labels.js) and listed in its panel
    var key = layer + ' ' + row[0] + ' ' + row[1];
    if (!atPoint[key]) { atPoint[key] = { ids: [], layer: layer, ll: ll }; units.push(atPoint[key]); }
    atPoint[key].ids.push(id);
  });
  units.forEach(function (unit) {
    var marker = L.marker(display(unit.ll), { placeId: unit.ids[0], placeIds: unit.ids });
    markAs(marker, unit.ids);
    unit.drawn = unit.ids.join(' ');
    marker.bindPopup(popupContent, popupOptions);
    marker.on('popupopen', fillPopup);
    unit.marker = marker;
    unit.shown = true;
    unit.ids.forEach(function (id) {
      records[id].marker = marker;
      records[id].unit = unit;
      records[id].container = layerGroups[unit.layer].container;
    });
    (byLayer[unit.layer] = byLayer[unit.layer] || []).push(marker);
  });
  Object.keys(byLayer).forEach(function (k) { addAll(layerGroups[k].container, byLayer[k]); });
  prefetchPopups(window[D.vars.map].getContainer());
}

const icons = {};
/** Give a marker the look of the places `ids` at its point: icon (first category, count),
 * tooltip, and the categories its cluster's ring counts. */
function markAs(marker, ids) {
  var places = ids.map(function (id) { return byId[id]; });
  var first = places[0], n = places.length;
  var key = first.cat + ' ' + first.prec + ' ' + n;
  if (!icons[key]) {
    icons[key] = L.divIcon({ html: iconHtml(first.cat, first.prec, n), iconSize: [PIN, PIN], iconAnchor: [PIN / 2, PIN / 2], className: 'empty' });
  }
  marker.options.cats = places.map(function (p) { return p.cat; });
  if (marker.options.icon !== icons[key]) marker.setIcon(icons[key]);
  if (marker.getTooltip()) marker.setTooltipContent(tooltipHtml(places));
  else marker.bindTooltip(tooltipHtml(places), { sticky: true });
}

/** Pointing at a marker or tabbing to one fetches the popups' text, usually before the click. */
function prefetchPopups(el) {
  function intent(e) {
    if (!e.target.closest || !e.target.closest('.leaflet-marker-icon')) return;
    el.removeEventListener('mouseover', intent);
    el.removeEventListener('focusin', intent);
    loadLazy('popups').catch(function () {}); // a click tries again, and says so if it fails
  }
  if (lazyNow('popups')) return;
  el.addEventListener('mouseover', intent);
  el.addEventListener('focusin', intent);
}

function byContainer(list) {
  var out = {};
  list.forEach(function (u) { (out[u.layer] = out[u.layer] || []).push(u.marker); });
  return out;
}

/** Show the places `keep(id)` accepts and hide the others (a shared marker: while one is kept). */
export function showOnly(keep) {
  Object.keys(records).forEach(function (id) { records[id].shown = !!keep(id); });
  var add = [], remove = [];
  units.forEach(function (u) {
    var want = u.ids.some(function (id) { return records[id].shown; });
    if (want === u.shown) return;
    u.shown = want;
    (want ? add : remove).push(u);
  });
  var gone = byContainer(remove), back = byContainer(add);
  Object.keys(gone).forEach(function (k) { removeAll(layerGroups[k].container, gone[k]); });
  // A shared marker counts and lists only the places shown (its icon, tooltip, open popup).
  var restyled = [];
  units.forEach(function (u) {
    if (!u.shown) return;
    var ids = placesOf(u.marker).filter(function (id) { return records[id].shown; }).sort(function (a, b) {
      return u.ids.indexOf(a) - u.ids.indexOf(b);
    });
    var drawn = ids.join(' ');
    if (drawn === u.drawn) return;
    u.drawn = drawn;
    markAs(u.marker, ids);
    if (u.marker.isPopupOpen()) u.marker.getPopup().update();
    if (back[u.layer] && back[u.layer].indexOf(u.marker) >= 0) return; // its cluster is made below
    restyled.push(u);
  });
  Object.keys(back).forEach(function (k) { addAll(layerGroups[k].container, back[k]); });
  restyled.forEach(function (u) {
    var cluster = layerGroups[u.layer].container.cluster;
    if (cluster && cluster.hasLayer(u.marker)) cluster.refreshClusters(u.marker);
  });
}

/** Ids of the places the map shows now, sorted: on a marker, or counted on their district
 * (precision `district`), and their layer on the map. */
export function drawnIds(map) {
  return Object.keys(records).filter(function (id) {
    var rec = records[id];
    return rec.shown && map.hasLayer(layerGroups[rec.layer].fg);
  }).sort();
}

/** Move every marker to where it is drawn in the current datum. */
export function moveMarkers() {
  var shown = byContainer(units.filter(function (u) { return u.shown; }));
  Object.keys(shown).forEach(function (k) { removeAll(layerGroups[k].container, shown[k]); });
  units.forEach(function (u) { u.marker.setLatLng(display(u.ll)); });
  Object.keys(shown).forEach(function (k) { addAll(layerGroups[k].container, shown[k]); });
}
