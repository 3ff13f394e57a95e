/* Hubs that say what they are: a traced outline or the G60 line where one is known, otherwise a
 * label and a small dashed ring at roughly where the hub is. Every hub mark has a plain-language
 * tooltip and opens the hub panel (its places by category, a link to /hubs/<id>). */
import { D, NAME, OTHER, esc, byId } from './data.js';
import { openDetail } from './detail.js';
import { addLabel } from './labels.js';

const HUB_COLOR = '#D55E00';
const RING = 7; // px, the radius of the ring of a hub of unknown extent

function hubTooltip(h) {
  return '<div><b>' + esc(h[NAME]) + '</b><br>' + esc(h.note) + '<br><small>' + esc(D.carto.t.click_hub) + '</small></div>';
}

/** The hub panel: what the mark means, the hub's places by category, the hub's page. */
export function hubHtml(h) {
  var t = D.carto.t;
  var byCat = {};
  h.places.forEach(function (id) {
    var p = byId[id];
    if (p) (byCat[p.cat] = byCat[p.cat] || []).push(p);
  });
  var html = '<div class="im-hub-panel" data-hub="' + esc(h.id) + '"><h2>' + esc(h[NAME]) +
    ' <small lang="' + OTHER + '">' + esc(h[OTHER]) + '</small></h2>' +
    '<p class="im-hub-note">' + esc(h.note) + '</p>' +
    '<h3>' + esc(t.hub_places) + ' (' + h.places.filter(function (id) { return byId[id]; }).length + ')</h3>';
  Object.keys(D.categories).forEach(function (c) {
    if (!byCat[c]) return;
    var cat = D.categories[c];
    html += '<h4><i class="fa-solid fa-' + esc(cat.icon) + '" style="color:' + esc(cat.color) + '"></i> ' +
      esc(cat.title) + ' (' + byCat[c].length + ')</h4><ul class="im-places">' +
      byCat[c].map(function (p) {
        return '<li><button type="button" class="im-place" data-id="' + esc(p.id) + '">' + esc(p[NAME]) + '</button></li>';
      }).join('') + '</ul>';
  });
  html += '<p><a class="im-hub-link" href="' + esc(D.links) + '/hubs/' + encodeURIComponent(h.id) + '?lang=' + D.lang + '">' +
    esc(t.hub_page) + '</a></p></div>';
  return html;
}

/** Bind the hubs layer's outlines, add rings and labels; `fg` is the hubs layer (folium's). */
export function setupHubs(map, fg) {
  if (!fg) return;
  var byHub = {};
  D.carto.hubs.forEach(function (h) { byHub[h.id] = h; });
  function open(h) { openDetail(hubHtml(h)); }
  (function walk(layer) {
    if (layer.feature && byHub[layer.feature.properties.id]) {
      var h = byHub[layer.feature.properties.id];
      layer.bindTooltip(hubTooltip(h), { sticky: true });
      layer.on('click', function (e) { L.DomEvent.stop(e); open(h); });
    } else if (layer.eachLayer) layer.eachLayer(walk);
  })(fg);
  D.carto.hubs.forEach(function (h) {
    var ring = null;
    var approximate = h.shape === 'approximate';
    if (approximate) {
      ring = L.circleMarker(h.ll, {
        radius: RING, color: HUB_COLOR, weight: 2, dashArray: '3 3', fillColor: HUB_COLOR, fillOpacity: 0.15,
        className: 'im-hub-ring'
      });
      ring.bindTooltip(hubTooltip(h), { sticky: true });
      ring.on('click', function (e) { L.DomEvent.stop(e); open(h); });
    }
    addLabel({
      kind: 'hub' + (approximate ? ' im-label-hub-approx' : ''), ll: h.ll, id: h.id, html: esc(h.label),
      title: h[NAME] + ' · ' + h[OTHER] + ' — ' + h.note,
      // A traced hub or the corridor is named at every zoom; a hub of unknown extent from the
      // zoom where its name fits, and its ring shows exactly when its name does.
      prio: approximate ? 3 : 0, force: !approximate, min: approximate ? 10 : 0, beside: approximate ? RING + 5 : 0,
      when: function () { return map.hasLayer(fg); },
      onShow: function (on) {
        if (!ring) return;
        if (on && !fg.hasLayer(ring)) fg.addLayer(ring);
        if (!on && fg.hasLayer(ring)) fg.removeLayer(ring);
      },
      onClick: function () { open(h); }
    });
  });
}
