/* Names on the map: districts, hubs, the Delta's cities and the major places, as Leaflet
 * divIcons (DOM, so they are in screenshots, embeds and the offline file). A greedy pass in
 * priority order hides a label whose box overlaps one already placed; hubs' own labels may be
 * `force`d (always shown while their layer is on). Positions follow the display datum. */
import { D, NAME, OTHER, esc, byId } from './data.js';
import { display } from './datum.js';
import { records, layerGroups, BESIDE_PIN } from './markers.js';

const C = D.carto;
/** Every label: {marker, ll, min, prio, force, beside, when, onShow, w, h}, sorted by prio. */
const labels = [];
const districtLabels = {};
var labelMap = null;
// A name is not a marker: without Leaflet's marker class, so nothing counts it as one.
const LabelIcon = L.DivIcon.extend({
  createIcon: function (old) {
    var el = L.DivIcon.prototype.createIcon.call(this, old);
    el.classList.remove('leaflet-marker-icon');
    return el;
  }
});

/** Add one label: `html` at `ll` ([lat, lon]) from zoom `min`, centred on the point, or with
 * `beside` (px) starting that far right of it, clear of a mark there (a pin or a ring). */
export function addLabel(opts) {
  var beside = opts.beside || 0;
  var shift = beside ? ' style="transform:translate(' + beside + 'px,-50%)"' : '';
  var icon = new LabelIcon({ className: 'im-label im-label-' + opts.kind, html: '<span' + shift + '>' + opts.html + '</span>', iconSize: null });
  var marker = L.marker(display(L.latLng(opts.ll[0], opts.ll[1])), {
    icon: icon, pane: opts.kind.indexOf('hub') === 0 ? 'imHubLabels' : 'imLabels', interactive: !!opts.onClick, keyboard: !!opts.onClick,
    title: opts.title || '', alt: opts.title || ''
  });
  if (opts.onClick) marker.on('click', opts.onClick);
  var label = {
    marker: marker, ll: L.latLng(opts.ll[0], opts.ll[1]), min: opts.min || 0, prio: opts.prio,
    force: !!opts.force, beside: beside, when: opts.when, onShow: opts.onShow, w: 0, h: 0,
    kind: opts.kind, id: opts.id || ''
  };
  labels.push(label);
  labels.sort(function (a, b) { return a.prio - b.prio; });
  if (labelMap) marker.addTo(labelMap);
  return label;
}

function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

/** Place every label: in priority order, shown unless out of its zooms or over a placed one. */
export function layoutLabels() {
  var map = labelMap;
  if (!map) return;
  var z = map.getZoom(), size = map.getSize(), placed = [];
  labels.forEach(function (l) {
    var el = l.marker.getElement();
    if (!el) return;
    var ok = z >= l.min && (!l.when || l.when());
    if (ok) {
      var where = display(l.ll);
      if (!l.marker.getLatLng().equals(where)) l.marker.setLatLng(where);
      if (!l.w) { l.w = el.firstChild.offsetWidth; l.h = el.firstChild.offsetHeight; }
      var pt = map.latLngToContainerPoint(where);
      var x0 = l.beside ? pt.x + l.beside : pt.x - l.w / 2, y0 = pt.y - l.h / 2;
      var box = [x0 - 1, y0, x0 + l.w + 1, y0 + l.h];
      var inside = box[2] > 0 && box[0] < size.x && box[3] > 0 && box[1] < size.y;
      if (!l.force && (!inside || placed.some(function (b) { return overlaps(box, b); }))) ok = false;
      if (ok) placed.push(box);
    }
    el.style.visibility = ok ? '' : 'hidden';
    el.classList.toggle('im-label-on', ok);
    if (l.onShow) l.onShow(ok);
  });
}

function districtLabelHtml(d) {
  var g60 = d.zh === '松江区' ? ' <small class="im-g60">G60</small>' : '';
  return '<b>' + esc(d[NAME]) + '</b>' + g60 + ' <i class="im-dcount" hidden></i>';
}

/** Make the labels of the districts, the Delta's cities and the major places. */
export function createLabels(map) {
  labelMap = map;
  map.createPane('imLabels');
  map.createPane('imHubLabels');
  labels.forEach(function (l) { l.marker.addTo(map); }); // any added before the map was known
  C.districts.forEach(function (d) {
    districtLabels[d.zh] = addLabel({ kind: 'district', ll: d.ll, prio: 1, html: districtLabelHtml(d), title: d[OTHER], id: d.zh });
  });
  C.context.forEach(function (c) {
    var tag = c.g60 ? ' <small class="im-g60">G60</small>' : '';
    addLabel({ kind: c.g60 ? 'city im-label-g60city' : 'city', ll: c.ll, prio: c.g60 ? 2 : 6, html: esc(c[NAME]) + tag, title: c[OTHER] });
  });
  C.majors.forEach(function (m) {
    var id = m[0], p = byId[id], rec = records[id];
    if (!p || !rec || !rec.marker) return;
    addLabel({
      kind: 'place', ll: [rec.ll.lat, rec.ll.lng], min: m[1], prio: 4 + (m[1] - 11) / 10, beside: BESIDE_PIN, html: esc(p[NAME]), id: id,
      when: function () {
        var group = layerGroups[rec.layer];
        if (!rec.shown || !map.hasLayer(group.fg)) return false;
        // Clustered now: the name would float over a cluster, not over its pin.
        return !group.container.getVisibleParent || group.container.getVisibleParent(rec.marker) === rec.marker;
      }
    });
  });
  map.on('zoomend moveend', layoutLabels);
  // Clusters split and merge after a zoom ends: a place's name shows only while its pin does.
  Object.keys(layerGroups).forEach(function (k) {
    var cluster = layerGroups[k].container.cluster;
    if (cluster && !cluster.listens('animationend', layoutLabels)) cluster.on('animationend', layoutLabels);
  });
}

/** Count, on each district's label, the places the map shows that are known only by district. */
export function refreshLabels() {
  var map = labelMap;
  var counts = {};
  Object.keys(records).forEach(function (id) {
    var rec = records[id];
    if (rec.district && rec.shown && map.hasLayer(layerGroups[rec.layer].fg)) {
      counts[byId[id].d] = (counts[byId[id].d] || 0) + 1;
    }
  });
  Object.keys(districtLabels).forEach(function (zh) {
    var l = districtLabels[zh];
    var el = l.marker.getElement();
    var badge = el && el.querySelector('.im-dcount');
    if (!badge) return;
    var n = counts[zh] || 0;
    badge.hidden = !n;
    badge.textContent = String(n);
    badge.title = C.t.district_count.replace('{n}', n);
    l.w = 0; // measure again
  });
  layoutLabels();
}
