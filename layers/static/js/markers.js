/* Markers made in the browser from one data array (the pattern of folium's
 * FastMarkerCluster): each row is [lat, lon, id, layer, precision]. Crowded layers cluster;
 * tooltips are the names, popups are the escaped HTML Python made for each place. */
import { D, esc, byId, NAME, OTHER } from './data.js';
import { display } from './datum.js';

/** Every marker: place id → {marker, container, layer, ll, shown}. */
export const records = {};
/** Every layer: id → {fg (folium's FeatureGroup), spec, container (fg or its cluster group)}. */
export const layerGroups = {};

function iconHtml(cat, precision) {
  var style = D.categories[cat] || { color: '#000000', icon: 'location-dot' };
  var badge = D.precision.badges[precision] || '?';
  // A circle in the category colour with the precision letter: readable without colour.
  return '<div class="pm pm-' + esc(precision) + '" style="background:' + esc(style.color) + '" title="' +
    esc(D.precision.word) + ': ' + esc(badge) + '"><i class="fa-solid fa-' + esc(style.icon) +
    '"></i><span class="pm-badge">' + esc(badge) + '</span></div>';
}

function tooltipHtml(p) {
  return '<div><b>' + esc(p[NAME]) + '</b> · ' + esc(p[OTHER]) + '</div>';
}

function addAll(container, markers) {
  if (container.addLayers) container.addLayers(markers); // a cluster group: one batch
  else markers.forEach(function (m) { container.addLayer(m); });
}
function removeAll(container, markers) {
  if (container.removeLayers) container.removeLayers(markers);
  else markers.forEach(function (m) { container.removeLayer(m); });
}

/** Make every marker of D.markers and put it in its layer (or the layer's cluster group). */
export function createMarkers() {
  D.layers.forEach(function (spec) {
    var fg = window[spec.var];
    var container = spec.cluster ? L.markerClusterGroup({ showCoverageOnHover: false }).addTo(fg) : fg;
    layerGroups[spec.id] = { fg: fg, spec: spec, container: container };
  });
  var icons = {};
  var byLayer = {};
  var popupOptions = { maxWidth: 360, maxHeight: Math.max(200, Math.min(420, window.innerHeight - 160)) };
  D.markers.forEach(function (row) {
    var id = row[2], layer = row[3], precision = row[4];
    var p = byId[id];
    var key = p.cat + ' ' + precision;
    if (!icons[key]) {
      icons[key] = L.divIcon({ html: iconHtml(p.cat, precision), iconSize: [26, 26], iconAnchor: [13, 13], className: 'empty' });
    }
    var ll = L.latLng(row[0], row[1]); // Leaflet takes [lat, lon], as the array holds them
    var marker = L.marker(display(ll), { icon: icons[key], placeId: id });
    marker.bindTooltip(tooltipHtml(p), { sticky: true });
    if (D.popups[id]) marker.bindPopup(D.popups[id], popupOptions);
    records[id] = { marker: marker, container: layerGroups[layer].container, layer: layer, ll: ll, shown: true };
    (byLayer[layer] = byLayer[layer] || []).push(marker);
  });
  Object.keys(byLayer).forEach(function (k) { addAll(layerGroups[k].container, byLayer[k]); });
}

function byContainer(ids) {
  var out = {};
  ids.forEach(function (id) { (out[records[id].layer] = out[records[id].layer] || []).push(records[id].marker); });
  return out;
}

/** Show the markers `keep(id)` accepts and hide the others. */
export function showOnly(keep) {
  var add = [], remove = [];
  Object.keys(records).forEach(function (id) {
    var rec = records[id];
    var want = !!keep(id);
    if (want === rec.shown) return;
    rec.shown = want;
    (want ? add : remove).push(id);
  });
  var gone = byContainer(remove), back = byContainer(add);
  Object.keys(gone).forEach(function (k) { removeAll(layerGroups[k].container, gone[k]); });
  Object.keys(back).forEach(function (k) { addAll(layerGroups[k].container, back[k]); });
}

/** Ids of the places drawn now: marker shown and its layer on the map, sorted. */
export function drawnIds(map) {
  return Object.keys(records).filter(function (id) {
    var rec = records[id];
    return rec.shown && map.hasLayer(layerGroups[rec.layer].fg);
  }).sort();
}

/** Move every marker to where it is drawn in the current datum. */
export function moveMarkers() {
  var shown = byContainer(Object.keys(records).filter(function (id) { return records[id].shown; }));
  Object.keys(shown).forEach(function (k) { removeAll(layerGroups[k].container, shown[k]); });
  Object.keys(records).forEach(function (id) { records[id].marker.setLatLng(display(records[id].ll)); });
  Object.keys(shown).forEach(function (k) { addAll(layerGroups[k].container, shown[k]); });
}
