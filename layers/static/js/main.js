/* Shanghai innovation map: wires the modules to the Leaflet objects folium created. One query
 * (filters.js) decides what is drawn, counted, coloured and downloaded. */
import { D, T, $, esc, byId, districtByZh } from './data.js';
import { matches, withQuery, placesMatching, norm, singleOf, queryFromParams } from './filters.js';
import { state, stateFromParams, stateParams, startParams, EMBED, OFFLINE } from './state.js';
import { datum, display, toWgs, shiftPaths } from './datum.js';
import { records, layerGroups, createMarkers, showOnly, drawnIds, moveMarkers, placesOf, leadWith } from './markers.js';
import { restyleDistricts, districtCounts } from './choropleth.js';
import { openDetail, showDistrictPanel, unplacedHtml, districtPlaces } from './detail.js';
import { setupSearch } from './search.js';
import { setupShare, unplacedCount } from './share.js';
import { setupCompare, updateCompare, changeCounts } from './compare.js';
import { setupEmbed, renderCaption, updateLangLink } from './embed.js';
import { createLabels, refreshLabels } from './labels.js';
import { setupHubs } from './hubs.js';
import { setupLegend } from './legend.js';
import { clearPadding, keepControlsClear } from './fit.js';
import { drawOutlines } from './outlines.js';
import { lazyNow, withLazy } from './lazy.js';

/** The closest zoom used to show one place (a search pick, place=): places at one point never
 * split from their cluster, which is spiderfied at this zoom instead of the deepest one. */
const PLACE_ZOOM = 15;

/** The lazy parts (lazy.js) applying `params` needs: the search keys for a q filter, the
 * profiles for the panel of one district. */
function lazyNeeds(params) {
  var needs = singleOf(params, 'q') ? ['keys'] : [];
  if (queryFromParams(params).districts.length === 1) needs.push('profiles');
  return needs;
}

function init() {
  var map = window[D.vars.map];
  var control = window[D.vars.control];
  var districtLayer = window[D.vars.districts];
  var tiles = [];
  var syncingLayers = false;
  var embedOpts = {
    controls: startParams.get('controls') === '1',
    scroll: startParams.get('scrollzoom') === '1',
    fixed: startParams.get('fixed') === '1',
    caption: startParams.get('caption') !== '0'
  };
  drawOutlines();
  createMarkers();
  createLabels(map);
  setupHubs(map, layerGroups.hubs && layerGroups.hubs.fg);
  setupLegend(map);
  keepControlsClear(map);

  // --- layers: the query's `layers` is the set of layers on the map (none given: all) ------
  function applyLayers() {
    syncingLayers = true;
    Object.keys(layerGroups).forEach(function (k) {
      var on = !state.query.layers || state.query.layers.indexOf(k) >= 0;
      var fg = layerGroups[k].fg;
      if (on && !map.hasLayer(fg)) map.addLayer(fg);
      if (!on && map.hasLayer(fg)) map.removeLayer(fg);
    });
    syncingLayers = false;
  }
  function layersFromMap() {
    var ids = Object.keys(layerGroups);
    var on = ids.filter(function (k) { return map.hasLayer(layerGroups[k].fg); });
    state.query.layers = on.length === ids.length ? null : on;
  }

  // --- the selects show the query; a list of several values gets an option of its own -------
  function syncSelect(id, values, label) {
    var select = $(id);
    var extra = select.querySelector('option[data-im-list]');
    if (extra) extra.remove();
    var value = values.join(',');
    if (values.length > 1) {
      var opt = document.createElement('option');
      opt.value = value;
      opt.textContent = values.map(label).join(', ');
      opt.setAttribute('data-im-list', '1');
      select.appendChild(opt);
    }
    select.value = value;
  }
  function syncControls() {
    var q = state.query;
    syncSelect('im-year', (q.years || []).map(String), String);
    syncSelect('im-district', q.districts, function (zh) { return districtByZh[zh][D.lang === 'zh' ? 'zh' : 'en']; });
    syncSelect('im-status', q.statuses, function (s) { return D.statuses[s]; });
    $('im-metric').value = state.metric;
    $('im-q').value = q.text;
    var active = [];
    if (q.categories.length) active.push(T.category + ': ' + q.categories.map(function (c) { return D.categories[c].title; }).join(', '));
    if (q.text) active.push(T.search + ': ' + q.text);
    if (q.bbox) active.push(T.bbox_filter + ': ' + q.bbox.join(', '));
    $('im-active').hidden = !active.length;
    $('im-active-text').textContent = active.join(' · ');
  }

  // --- what is drawn and counted --------------------------------------------------------------
  function updateCount() {
    $('im-count').textContent = T.shown + ': ' + drawnIds(map).length + ' / ' + D.markers.length;
  }
  // Nothing drawn because of the filters: a notice on the map says so, with a way out.
  var notice = document.createElement('div');
  notice.className = 'im-empty';
  notice.setAttribute('role', 'status');
  map.getContainer().appendChild(notice);
  L.DomEvent.disableClickPropagation(notice);
  L.DomEvent.disableScrollPropagation(notice);
  function filtered(q) {
    return !!(q.categories.length || q.districts.length || q.years || q.statuses.length || q.bbox || q.q || q.compare);
  }
  function updateNotice() {
    var empty = !drawnIds(map).length && filtered(state.query);
    if (empty === !!notice.firstChild) return;
    notice.textContent = '';
    if (!empty) return;
    var text = document.createElement('span');
    text.textContent = T.no_match;
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'im-btn';
    clear.textContent = T.clear_all_filters;
    clear.addEventListener('click', clearFilters);
    notice.appendChild(text);
    notice.appendChild(clear);
  }
  function refresh() {
    showOnly(function (id) { return matches(byId[id], state.query); });
    restyleDistricts(districtLayer);
    showDistrictPanel();
    updateCompare();
    refreshLabels();
    updateCount();
    updateNotice();
    writeUrl();
  }
  /** Drop every filter but the layers (a place they hid is opened, the notice's button). */
  function clearFilters() {
    state.query = withQuery(state.query, { categories: [], districts: [], years: null, statuses: [],
                                           bbox: null, q: '', text: '', compare: null, changes: [] });
    syncControls();
    refresh();
  }

  // --- focusing one place ---------------------------------------------------------------------
  var focused = null; // the place focusPlace is opening (its marker may hold others too)
  function focusPlace(id) {
    var p = byId[id];
    var rec = records[id];
    if (!p) return;
    focused = id;
    if (!rec) { openDetail(unplacedHtml(p)); return; }
    if (!rec.marker) { // known only by district
      var show = function () { openDetail((lazyNow('popups') || {})[id] || unplacedHtml(p)); };
      withLazy(['popups'], show, show);
      return;
    }
    if (!matches(p, withQuery(state.query, { layers: null }))) {
      clearFilters();
      $('im-count').textContent += ' · ' + T.filters_cleared;
    }
    var fg = layerGroups[rec.layer].fg;
    if (!map.hasLayer(fg)) map.addLayer(fg); // the layer control's event adds it to the query
    leadWith(rec.marker, id); // its popup lists it first
    if (rec.container !== fg && rec.container.zoomToShowLayer) {
      rec.container.zoomToShowLayer(rec.marker, function () { openFitted(rec.marker); }, PLACE_ZOOM);
    } else {
      map.setView(rec.marker.getLatLng(), Math.max(map.getZoom(), 13), { animate: false });
      openFitted(rec.marker);
    }
  }
  // Leaflet's auto-pan can run before a tall popup is laid out: pan again once it is.
  function openFitted(marker) {
    // The popups' text is loaded with the first one: open it once it is here.
    var open = function () { openAndPan(marker); };
    withLazy(['popups'], open, open);
  }
  function openAndPan(marker) {
    marker.openPopup();
    setTimeout(function () {
      var popup = marker.getPopup();
      var el = popup && popup.getElement();
      if (!el) return;
      var box = el.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
      var over = box.top - frame.top - 10;
      if (over < 0) map.panBy([0, over], { animate: false });
    }, 50);
  }

  // --- basemaps ---------------------------------------------------------------------------------
  function setBasemap(id) {
    var b = D.basemaps.filter(function (x) { return x.id === id; })[0] || D.basemaps[0];
    state.basemap = b.id;
    $('im-basemap').value = b.id;
    tiles.forEach(function (t) { map.removeLayer(t); });
    tiles = [];
    [b.url, b.overlay_url].forEach(function (url) {
      if (!url) return;
      var opts = { maxZoom: b.max_zoom, attribution: esc(b.attribution) };
      if (b.subdomains) opts.subdomains = b.subdomains;
      tiles.push(L.tileLayer(url, opts).addTo(map));
    });
    if (b.datum !== datum.current) {
      // The Delta's land is drawn in the same datum as the districts it surrounds.
      var context = window[D.vars.context] ? [window[D.vars.context]] : [];
      shiftPaths([districtLayer].concat(context, Object.keys(layerGroups).map(function (k) { return layerGroups[k].fg; })), b.datum);
      moveMarkers();
      refreshLabels();
    }
    var badge = $('im-datum');
    badge.textContent = b.datum === 'gcj02' ? T.datum_gcj02 : T.datum_wgs84;
    badge.className = 'im-datum' + (b.datum === 'gcj02' ? ' im-gcj' : '');
    map.getContainer().setAttribute('data-datum', b.datum);
  }

  // --- URL --------------------------------------------------------------------------------------
  function view() {
    var c = toWgs(map.getCenter());
    return { lat: c.lat, lon: c.lng, zoom: map.getZoom() };
  }
  var writing = null;
  function writeUrl() {
    renderCaption(map, layerGroups, drawnLayers(), drawnIds(map).length);
    if (OFFLINE) return; // a file has no address to rewrite
    if (writing) clearTimeout(writing);
    writing = setTimeout(function () {
      writing = null;
      // An embed keeps its address (the host's iframe src); its language link follows the state.
      if (!EMBED) history.replaceState(null, '', '?' + stateParams(D.lang, view()).toString());
      updateLangLink(view());
    }, 150);
  }
  function defaultView() {
    // The districts asked for, else the whole city; clear of the panel, legend and controls.
    var bounds = null;
    districtLayer.eachLayer(function (l) {
      if (state.query.districts.indexOf(l.feature.properties.name_zh) < 0) return;
      bounds = bounds ? bounds.extend(l.getBounds()) : L.latLngBounds(l.getBounds().getSouthWest(), l.getBounds().getNorthEast());
    });
    map.fitBounds(bounds || districtLayer.getBounds(), Object.assign({ animate: false }, clearPadding(map)));
  }
  function applyView(params) {
    var c = (params.get('center') || '').split(',').map(Number);
    var z = Number(params.get('zoom'));
    if (c.length === 2 && isFinite(c[0]) && isFinite(c[1]) && params.get('zoom') && isFinite(z)) {
      map.setView(display(L.latLng(c[0], c[1])), z, { animate: false });
    } else if (state.query.bbox) {
      var b = state.query.bbox; // min lon, min lat, max lon, max lat
      map.fitBounds([display(L.latLng(b[1], b[0])), display(L.latLng(b[3], b[2]))], { animate: false });
    } else {
      defaultView();
      // An embed or a screenshot may be laid out before its final size: fit again on resize.
      if (EMBED || OFFLINE) map.on('resize', defaultView);
    }
  }
  /** Set the whole state from URL parameters, as a page load does (without moving the view). */
  function applyParams(params) {
    stateFromParams(params);
    applyLayers();
    syncControls();
    setBasemap(state.basemap);
    refresh();
  }

  // --- caption (embeds, PNG): the legend lists the layers that draw something now --------------
  function drawnLayers() {
    var has = {};
    drawnIds(map).forEach(function (id) { has[records[id].layer] = true; });
    return Object.keys(layerGroups).filter(function (k) {
      return map.hasLayer(layerGroups[k].fg) && (has[k] || k === 'hubs' || layerGroups[k].spec.aggregated);
    });
  }

  // --- wiring -----------------------------------------------------------------------------------
  $('im-year').addEventListener('change', function (e) {
    state.query.years = e.target.value ? e.target.value.split(',').map(Number) : null; refresh();
  });
  $('im-district').addEventListener('change', function (e) {
    state.query.districts = e.target.value ? e.target.value.split(',') : []; refresh();
    if (!state.place) defaultView(); // as a page load with district= (an open place stays in view)
  });
  $('im-status').addEventListener('change', function (e) {
    state.query.statuses = e.target.value ? e.target.value.split(',') : []; refresh();
  });
  $('im-metric').addEventListener('change', function (e) { state.metric = e.target.value; refresh(); });
  $('im-basemap').addEventListener('change', function (e) { setBasemap(e.target.value); restyleDistricts(districtLayer); writeUrl(); });
  $('im-active-clear').addEventListener('click', function () {
    state.query = withQuery(state.query, { categories: [], bbox: null, q: '', text: '' });
    syncControls();
    refresh();
  });
  districtLayer.on('click', function (e) {
    state.query.districts = [e.layer.feature.properties.name_zh];
    syncControls();
    refresh();
  });
  map.on('overlayadd overlayremove', function () {
    if (syncingLayers) return;
    layersFromMap();
    refresh();
  });
  map.on('moveend', function () { updateCount(); writeUrl(); });
  // A marker may hold several places (one point): the URL names the one asked for, else the first.
  function idsOf(popup) { return (popup._source && popup._source.options.placeIds) || []; }
  map.on('popupopen', function (e) {
    // The places the popup lists: those shown, the one asked for first (markers.js placesOf).
    var ids = e.popup._source && e.popup._source.options.placeIds ? placesOf(e.popup._source) : [];
    state.place = focused && ids.indexOf(focused) >= 0 ? focused : ids[0] || null;
    focused = null;
    writeUrl();
  });
  map.on('popupclose', function (e) {
    if (e.popup._source && e.popup._source.options.placeIds) leadWith(e.popup._source, null);
    if (idsOf(e.popup).indexOf(state.place) >= 0) { state.place = null; writeUrl(); }
  });
  $('im-detail').addEventListener('click', function (e) {
    var b = e.target.closest('button.im-place');
    if (b) focusPlace(b.getAttribute('data-id'));
  });
  $('im-close').addEventListener('click', function () {
    $('im-detail').hidden = true;
    if (state.query.districts.length) { state.query.districts = []; syncControls(); refresh(); }
  });
  var toggle = $('im-toggle');
  toggle.addEventListener('click', function () {
    var open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    $('im-panel').classList.toggle('im-open', open);
  });
  setupSearch(focusPlace, function () {
    if (state.query.text) { state.query = withQuery(state.query, { q: '', text: '' }); syncControls(); refresh(); }
  });
  var refreshShare = setupShare(map, view, writeUrl);
  setupCompare(refresh);

  // --- embed presets ------------------------------------------------------------------------------
  if (OFFLINE) document.body.classList.add('im-offline');
  if (EMBED) {
    document.body.classList.add('im-embed');
    if (embedOpts.controls) document.body.classList.add('im-controls');
    if (!embedOpts.scroll) map.scrollWheelZoom.disable();
    if (embedOpts.fixed) {
      document.body.classList.add('im-fixed');
      ['dragging', 'touchZoom', 'doubleClickZoom', 'scrollWheelZoom', 'boxZoom', 'keyboard'].forEach(function (h) { map[h].disable(); });
    }
  }
  setupEmbed(map, embedOpts); // caption bands, link targets, popups that fit (embed.js)

  // The data a page load needs before it is ready: search keys for a q filter, popups for a
  // place to open (lazy.js; inline in an offline file).
  var needs = lazyNeeds(startParams);
  if (byId[startParams.get('place')]) needs.push('popups');
  var finish = function () {
    applyParams(startParams);
    // Open before the first fit, which keeps the districts clear of it.
    if (window.matchMedia('(min-width: 700px)').matches && !EMBED) control.expand(); // phones: behind its button
    applyView(startParams);
    if (byId[startParams.get('place')]) focusPlace(startParams.get('place'));
    map.getContainer().setAttribute('data-ready', '1');
  };
  withLazy(needs, finish, function (err) { console.error(err); finish(); });
  window.innovationMap = {
    mode: OFFLINE ? 'offline' : EMBED ? 'embed' : 'map',
    map: map, records: records, layers: layerGroups, districts: districtLayer, state: state,
    focusPlace: focusPlace,
    /** Apply URL parameters ("a=b&c=d") through the same code as a page load (a promise when
     * it needs lazy data first: lazyNeeds). */
    applyQuery: function (query) {
      var params = new URLSearchParams(query);
      return withLazy(lazyNeeds(params), function () { applyParams(params); refreshShare(); });
    },
    drawnIds: function () { return drawnIds(map); },
    /** Ids the query keeps, with places without a point when the query asks for them. */
    matchingIds: function () { return placesMatching(state.query).map(function (p) { return p.id; }).sort(); },
    districtCounts: function () { return districtCounts('all'); },
    districtPlaces: function (zh) { return districtPlaces(zh).map(function (l) { return l.map(function (p) { return p.id; }); }); },
    unplacedCount: unplacedCount,
    changeCounts: changeCounts,
    norm: norm
  };
}

// folium defines the map and its layers earlier in the same script: run once the page is parsed.
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
