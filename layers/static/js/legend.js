/* The legend: always on screen on wide screens (collapsible on phones), apart from the layer
 * switcher: the categories on the map, how exact a point is, the hub marks, and the classes of
 * the district shading (choropleth.js fills #im-legend-classes). */
import { D, esc, byId } from './data.js';
import { EMBED } from './state.js';

function legendRow(swatch, words) { return '<li>' + swatch + '<span>' + esc(words) + '</span></li>'; }

function legendHtml() {
  var t = D.carto.t, n = D.carto.notes;
  var present = {};
  D.markers.forEach(function (m) { present[byId[m[2]].cat] = true; });
  var cats = Object.keys(D.categories).filter(function (c) { return present[c]; }).map(function (c) {
    var cat = D.categories[c];
    return legendRow('<span class="im-lsw" style="background:' + esc(cat.color) + '"><i class="fa-solid fa-' + esc(cat.icon) + '"></i></span>', cat.title);
  }).join('');
  var exact = [
    legendRow('<span class="im-lg-pin"></span>', t.site),
    legendRow('<span class="im-lg-pin im-lg-area"></span>', t.area),
    legendRow('<span class="im-lg-count">3</span>', t.shared),
    legendRow('<span class="im-dcount">5</span>', t.district_only),
    legendRow('<span class="im-lg-donut"></span>', t.cluster)
  ].join('');
  var hubs = [
    legendRow('<span class="im-lg-outline"></span>', n.outline),
    legendRow('<span class="im-lg-ring"></span>', n.approximate),
    legendRow('<span class="im-lg-line"></span>', n.line),
    legendRow('<span class="im-lg-g60"></span>', t.g60)
  ].join('');
  return '<button type="button" class="im-legend-toggle" aria-expanded="true" aria-controls="im-legend-body">' + esc(t.legend) + '</button>' +
    '<div id="im-legend-body" class="im-legend-body">' +
    '<div class="im-legend-cats"><h3>' + esc(t.categories) + '</h3><ul>' + cats + '</ul></div>' +
    '<h3>' + esc(t.precision) + '</h3><ul>' + exact + '</ul>' +
    '<h3>' + esc(t.hubs) + '</h3><ul>' + hubs + '</ul>' +
    '<div id="im-legend-classes"></div></div>';
}

/** Add the legend to the map; closed at first on phones. */
export function setupLegend(map) {
  // Bottom left beside the side panel; in an embed (no side panel) bottom right, clear of the caption.
  var control = L.control({ position: EMBED ? 'bottomright' : 'bottomleft' });
  control.onAdd = function () {
    var box = L.DomUtil.create('div', 'im-map-legend');
    box.setAttribute('lang', D.lang);
    box.innerHTML = legendHtml();
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var button = box.querySelector('.im-legend-toggle');
    function setOpen(open) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      box.classList.toggle('im-legend-closed', !open);
    }
    button.addEventListener('click', function () { setOpen(button.getAttribute('aria-expanded') !== 'true'); });
    // Open on a desktop-sized map; closed on phones and in embeds, offline files and slides,
    // where the caption carries the legend and the map is small.
    var roomy = window.matchMedia('(min-width: 700px) and (min-height: 700px)').matches;
    setOpen(roomy && !EMBED && !document.body.classList.contains('im-cap'));
    return box;
  };
  control.addTo(map);
}
