/* Shanghai innovation map: search, filters, year, choropleth, district panel, basemaps and
 * URL state, on top of the Leaflet objects folium created. Data comes from #im-data (JSON made
 * by layers/ui.py). Everything from the data is escaped before it reaches innerHTML. */
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('im-data').textContent);
  var T = D.t;
  var NAME = D.lang === 'zh' ? 'zh' : 'en';
  var OTHER = D.lang === 'zh' ? 'en' : 'zh';
  var GNBU = ['#f0f9e8', '#bae4bc', '#7bccc4', '#43a2ca', '#0868ac']; // ColorBrewer GnBu, CVD-safe
  var SELECTED = '#000000';

  function $(id) { return document.getElementById(id); }
  function esc(value) {
    return String(value == null ? '' : value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // --- WGS-84 -> GCJ-02 (the published forward formula; same as geo/datum.py) ---------------
  var A = 6378245.0, EE = 0.00669342162296594323, PI = Math.PI;
  function toGcj(lat, lon) {
    var x = lon - 105.0, y = lat - 35.0;
    var dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    dLat += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    dLat += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3;
    dLat += (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
    var dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    dLon += (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    dLon += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3;
    dLon += (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
    var rad = lat / 180 * PI;
    var magic = 1 - EE * Math.sin(rad) * Math.sin(rad);
    var sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(rad) * PI);
    return L.latLng(lat + dLat, lon + dLon);
  }

  function init() {
    var map = window[D.vars.map];
    var control = window[D.vars.control];
    var districtLayer = window[D.vars.districts];
    var byId = {};
    D.places.forEach(function (p) { byId[p.id] = p; });
    var districtByZh = {};
    D.districts.forEach(function (d) { districtByZh[d.zh] = d; });
    var layers = {};
    var records = {};
    var state = { year: '', district: '', status: '', metric: '', basemap: 'none', q: '' };
    var datum = 'wgs84';
    var tiles = [];
    // An offline file or a PNG render carries its view in #im-state; the app uses the URL.
    var stateEl = document.getElementById('im-state');
    var preset = stateEl ? JSON.parse(stateEl.textContent) : null;
    var query = new URLSearchParams(preset ? preset.query : location.search);
    var OFFLINE = !!preset;
    var EMBED = preset ? !!preset.embed : /\/embed\/?$/.test(location.pathname);
    var embedOpts = {
      controls: query.get('controls') === '1',
      scroll: query.get('scrollzoom') === '1',
      fixed: query.get('fixed') === '1',
      caption: query.get('caption') !== '0'
    };

    // --- registry: every place marker, its layer and the group that holds it ---------------
    D.layers.forEach(function (spec) {
      var fg = window[spec.var];
      layers[spec.id] = { fg: fg, spec: spec };
      fg.eachLayer(function (child) {
        if (L.MarkerClusterGroup && child instanceof L.MarkerClusterGroup) {
          child.eachLayer(function (m) { register(m, child, spec.id); });
        } else if (child instanceof L.Marker) {
          register(child, fg, spec.id);
        }
      });
    });
    function register(marker, container, layerId) {
      var id = marker.options.placeId;
      if (!id) return;
      if (D.popups[id]) marker.bindPopup(D.popups[id], { maxWidth: 360, maxHeight: Math.max(200, Math.min(420, window.innerHeight - 160)) });
      records[id] = { marker: marker, container: container, layer: layerId,
                      ll: marker.getLatLng(), shown: true };
    }

    // --- filters ---------------------------------------------------------------------------
    // The same rule as geo.vocab.search_key; each place's keys come computed from Python.
    function norm(s) { return String(s || '').normalize('NFKC').toLowerCase().replace(/[\s\u00b7\u30fb\p{P}\p{S}\p{Z}\p{C}]/gu, ''); }
    D.places.forEach(function (p) { p._keys = p.keys; });
    function statusOf(p) { return state.year ? (p.tl[state.year] || '') : (p.st || ''); }
    function matches(p) {
      if (state.year && p.years.indexOf(Number(state.year)) < 0) return false;
      if (state.district && p.d !== state.district) return false;
      if (state.status && statusOf(p) !== state.status) return false;
      if (state.q) {
        var n = norm(state.q);
        if (!p._keys.some(function (k) { return k.indexOf(n) >= 0; })) return false;
      }
      return true;
    }
    function display(ll) { return datum === 'gcj02' ? toGcj(ll.lat, ll.lng) : ll; }
    function applyFilters() {
      Object.keys(records).forEach(function (id) {
        var rec = records[id];
        var want = matches(byId[id]);
        if (want && !rec.shown) { rec.container.addLayer(rec.marker); rec.shown = true; }
        if (!want && rec.shown) { rec.container.removeLayer(rec.marker); rec.shown = false; }
      });
      updateCount();
    }
    function updateCount() {
      var n = 0, total = 0;
      Object.keys(records).forEach(function (id) {
        total += 1;
        if (records[id].shown && map.hasLayer(layers[records[id].layer].fg)) n += 1;
      });
      $('im-count').textContent = T.shown + ': ' + n + ' / ' + total;
    }

    // --- choropleth and selected district ----------------------------------------------------
    function countOf(d, metric) {
      var cell = (d && d.counts[metric]) || {};
      return cell[state.year || 'all'] || 0;
    }
    function classBreaks() {
      var max = 0;
      D.districts.forEach(function (d) { max = Math.max(max, countOf(d, state.metric)); });
      return { step: Math.max(1, Math.ceil(max / GNBU.length)), max: max };
    }
    function restyleDistricts() {
      var withTiles = state.basemap !== 'none';
      var br = state.metric ? classBreaks() : null;
      districtLayer.eachLayer(function (layer) {
        var zh = layer.feature.properties.name_zh;
        var style = { color: '#7a7a7a', weight: 1, fillColor: '#f4f1ea',
                      fillOpacity: withTiles ? 0.05 : 1 };
        if (br) {
          var v = countOf(districtByZh[zh], state.metric);
          style.fillColor = v === 0 ? '#ffffff' : GNBU[Math.min(GNBU.length - 1, Math.floor((v - 1) / br.step))];
          style.fillOpacity = withTiles ? 0.6 : 1;
        }
        if (zh === state.district) { style.color = SELECTED; style.weight = 3; }
        layer.setStyle(style);
      });
      renderLegend(br);
    }
    function renderLegend(br) {
      var box = $('im-legend');
      if (!br) { box.innerHTML = ''; return; }
      var title = state.metric === 'all' ? T.metric_all : D.categories[state.metric].title;
      var rows = ['<li><span class="im-sw" style="background:#ffffff"></span>0</li>'];
      for (var i = 0; i < GNBU.length; i++) {
        var lo = i * br.step + 1, hi = (i + 1) * br.step;
        if (lo > Math.max(br.max, 1)) break;
        rows.push('<li><span class="im-sw" style="background:' + GNBU[i] + '"></span>' +
                  (lo === hi ? lo : lo + '–' + hi) + '</li>');
      }
      box.innerHTML = '<p><b>' + esc(T.legend_metric) + '</b>: ' + esc(title) +
        (state.year ? ' (' + esc(state.year) + ')' : '') + '</p><ul>' + rows.join('') + '</ul>';
    }

    // --- detail panel ------------------------------------------------------------------------
    function openDetail(html) {
      $('im-detail-body').innerHTML = html;
      $('im-detail').hidden = false;
    }
    function closeDetail() {
      $('im-detail').hidden = true;
      if (state.district) { state.district = ''; $('im-district').value = ''; refresh(); }
    }
    function placeButton(p) {
      var cat = D.categories[p.cat];
      var where = p.layer ? '' : ' <small>(' + esc(T.not_on_map) + ')</small>';
      return '<li><button type="button" class="im-place" data-id="' + esc(p.id) + '">' +
        '<i class="fa-solid fa-' + esc(cat.icon) + '" style="color:' + esc(cat.color) + '"></i> ' +
        esc(p[NAME]) + '</button>' + where + '</li>';
    }
    function districtHtml(d) {
      var html = '<h2>' + esc(d[NAME]) + ' <small lang="' + OTHER + '">' + esc(d[OTHER]) + '</small></h2>';
      html += '<p class="im-counts">' + esc(T.counts) + ': <b>' + countOf(d, 'all') + '</b>' +
        (state.year ? ' (' + esc(state.year) + ')' : '') + '</p>';
      var reportsWithSections = {};
      D.districts.forEach(function (x) { x.profiles.forEach(function (pr) { reportsWithSections[pr.report] = true; }); });
      html += '<h3>' + esc(T.profile) + '</h3>';
      Object.keys(reportsWithSections).sort().forEach(function (report) {
        var meta = D.reports[report] || { year: '', title: report };
        var mine = d.profiles.filter(function (pr) { return pr.report === report; });
        var current = state.year && String(meta.year) === state.year ? ' im-current' : '';
        html += '<section class="im-profile' + current + '"><h4>' + esc(meta.year) + ' · ' + esc(meta.title) + '</h4>';
        if (!mine.length) html += '<p class="im-muted">' + esc(T.no_profile) + '</p>';
        mine.forEach(function (pr) {
          html += '<p><b>' + esc(pr.headline) + '</b></p><blockquote>' + esc(pr.text) +
            '</blockquote><cite>' + esc(report) + ', ' + esc(T.line) + ' ' + esc(pr.line) + '</cite>';
        });
        html += '</section>';
      });
      var here = D.places.filter(function (p) { return p.d === d.zh && matches(p); });
      here.sort(function (a, b) { return a[NAME].localeCompare(b[NAME]); });
      html += '<h3>' + esc(T.places_here) + ' (' + here.length + ')</h3><ul class="im-places">' +
        here.map(placeButton).join('') + '</ul>';
      html += '<p><a href="' + esc(D.links) + '/districts/' + encodeURIComponent(d.zh) + '?lang=' + D.lang + '">' + esc(T.details) + '</a></p>';
      return html;
    }
    function showDistrict() {
      var d = districtByZh[state.district];
      if (d) openDetail(districtHtml(d));
    }
    function unplacedHtml(p) {
      return '<h2>' + esc(p[NAME]) + ' <small lang="' + OTHER + '">' + esc(p[OTHER]) + '</small></h2>' +
        '<p>' + esc(D.categories[p.cat].title) + (p.d ? ' · ' + esc(p.d) : '') + '</p>' +
        '<p class="im-muted">' + esc(T.not_on_map) + '</p>' +
        '<p><a href="' + esc(D.links) + '/places/' + encodeURIComponent(p.id) + '?lang=' + D.lang + '">' + esc(T.details) + '</a></p>';
    }

    // --- focusing one place ------------------------------------------------------------------
    function focusPlace(id) {
      var p = byId[id];
      var rec = records[id];
      if (!p) return;
      if (!rec) { openDetail(unplacedHtml(p)); return; }
      if (!matches(p)) {
        state.year = state.status = state.district = state.q = '';
        $('im-year').value = $('im-status').value = $('im-district').value = '';
        refresh();
        $('im-count').textContent += ' · ' + T.filters_cleared;
      }
      var fg = layers[rec.layer].fg;
      if (!map.hasLayer(fg)) map.addLayer(fg);
      if (rec.container !== fg && rec.container.zoomToShowLayer) {
        rec.container.zoomToShowLayer(rec.marker, function () { openFitted(rec.marker); });
      } else {
        map.setView(rec.marker.getLatLng(), Math.max(map.getZoom(), 13), { animate: false });
        openFitted(rec.marker);
      }
    }

    // Leaflet's auto-pan can run before a tall popup is laid out: pan again once it is.
    function openFitted(marker) {
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

    // --- search ------------------------------------------------------------------------------
    var results = [];
    var active = -1;
    function search(q) {
      var n = norm(q);
      if (!n) return [];
      var scored = [];
      D.places.forEach(function (p) {
        var best = 9;
        p._keys.forEach(function (k) {
          if (k === n) best = Math.min(best, 0);
          else if (k.indexOf(n) === 0) best = Math.min(best, 1);
          else if (k.indexOf(n) > 0) best = Math.min(best, 2);
        });
        if (best < 9) scored.push([best, p.layer ? 0 : 1, p[NAME].length, p]);
      });
      scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
      return scored.slice(0, 10).map(function (s) { return s[3]; });
    }
    function renderResults() {
      var box = $('im-results');
      var input = $('im-q');
      if (!input.value.trim()) { box.hidden = true; input.setAttribute('aria-expanded', 'false'); return; }
      box.innerHTML = results.length ? results.map(function (p, i) {
        var cat = D.categories[p.cat];
        return '<li role="option" id="im-opt-' + i + '" data-id="' + esc(p.id) + '"' +
          (i === active ? ' aria-selected="true" class="im-active"' : '') + '>' +
          '<b>' + esc(p[NAME]) + '</b> <span lang="' + OTHER + '">' + esc(p[OTHER]) + '</span><br><small>' +
          esc(cat.title) + (p.d ? ' · ' + esc(p.d) : '') + (p.layer ? '' : ' · ' + esc(T.not_on_map)) +
          '</small></li>';
      }).join('') : '<li class="im-muted" role="option" aria-disabled="true">' + esc(T.no_results) + '</li>';
      box.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      if (active >= 0) input.setAttribute('aria-activedescendant', 'im-opt-' + active);
      else input.removeAttribute('aria-activedescendant');
    }
    // A city too big for the page (aggregated layers) is searched on the server as well.
    var remote = null;
    function searchServer(q) {
      if (!D.partial || norm(q).length < 2) return;
      if (remote) clearTimeout(remote);
      remote = setTimeout(function () {
        fetch(D.links + '/api/places.geojson?q=' + encodeURIComponent(q))
          .then(function (r) { return r.ok ? r.json() : { features: [] }; })
          .then(function (fc) {
            if ($('im-q').value !== q) return;
            var have = {};
            results.forEach(function (p) { have[p.id] = true; });
            fc.features.slice(0, 10).forEach(function (f) {
              var pr = f.properties;
              if (have[f.id]) return;
              var entry = { id: f.id, zh: pr.name_zh, en: pr.name_en, cat: pr.category, d: pr.district_zh || '',
                            aka: pr.aliases || [], years: pr.years || [], tl: {}, st: pr.status || '', layer: null };
              byId[f.id] = entry;
              results.push(entry);
            });
            renderResults();
          }, function () {});
      }, 250);
    }
    function choose(i) {
      var p = results[i];
      if (!p) return;
      $('im-q').value = p[NAME];
      results = []; active = -1; renderResults();
      $('im-results').hidden = true;
      focusPlace(p.id);
    }
    $('im-q').addEventListener('input', function (e) {
      results = search(e.target.value); active = results.length ? 0 : -1; renderResults();
      searchServer(e.target.value);
      if (state.q && !e.target.value.trim()) { state.q = ''; refresh(); } // clearing the box clears a q filter
    });
    $('im-q').addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' && results.length) { active = (active + 1) % results.length; renderResults(); e.preventDefault(); }
      else if (e.key === 'ArrowUp' && results.length) { active = (active - 1 + results.length) % results.length; renderResults(); e.preventDefault(); }
      else if (e.key === 'Enter') { choose(active < 0 ? 0 : active); e.preventDefault(); }
      else if (e.key === 'Escape') { $('im-results').hidden = true; e.target.setAttribute('aria-expanded', 'false'); }
    });
    $('im-results').addEventListener('click', function (e) {
      var li = e.target.closest('li[data-id]');
      if (li) choose(results.findIndex(function (p) { return p.id === li.getAttribute('data-id'); }));
    });
    $('im-detail').addEventListener('click', function (e) {
      var b = e.target.closest('button.im-place');
      if (b) focusPlace(b.getAttribute('data-id'));
    });
    $('im-close').addEventListener('click', closeDetail);

    // --- basemaps and the display-time datum shift ------------------------------------------
    function walkPaths(layer, fn) {
      if (layer instanceof L.Path) fn(layer);
      else if (layer.eachLayer && !(L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup)) {
        layer.eachLayer(function (c) { walkPaths(c, fn); });
      }
    }
    function mapDeep(x, f) { return Array.isArray(x) ? x.map(function (y) { return mapDeep(y, f); }) : f(x); }
    function shiftOverlays(newDatum) {
      if (newDatum === datum) return;
      datum = newDatum;
      var groups = [districtLayer].concat(Object.keys(layers).map(function (k) { return layers[k].fg; }));
      groups.forEach(function (g) {
        walkPaths(g, function (path) {
          if (!path._imOrig) path._imOrig = mapDeep(path.getLatLngs(), function (ll) { return L.latLng(ll.lat, ll.lng); });
          path.setLatLngs(mapDeep(path._imOrig, display));
        });
      });
      Object.keys(records).forEach(function (id) {
        var rec = records[id];
        if (rec.shown) rec.container.removeLayer(rec.marker);
        rec.marker.setLatLng(display(rec.ll));
        if (rec.shown) rec.container.addLayer(rec.marker);
      });
    }
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
      shiftOverlays(b.datum);
      var badge = $('im-datum');
      badge.textContent = b.datum === 'gcj02' ? T.datum_gcj02 : T.datum_wgs84;
      badge.className = 'im-datum' + (b.datum === 'gcj02' ? ' im-gcj' : '');
      map.getContainer().setAttribute('data-datum', b.datum);
    }

    // --- URL state ---------------------------------------------------------------------------
    function wgsCenter() {
      var c = map.getCenter();
      if (datum !== 'gcj02') return c;
      var g = toGcj(c.lat, c.lng); // invert by one step: error far below the 4 decimals kept
      return L.latLng(2 * c.lat - g.lat, 2 * c.lng - g.lng);
    }
    function stateParams(lang) {
      var q = new URLSearchParams();
      q.set('lang', lang);
      q.set('layers', Object.keys(layers).filter(function (k) { return map.hasLayer(layers[k].fg); }).join(','));
      ['district', 'year', 'status', 'metric'].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
      q.set('basemap', state.basemap);
      var c = wgsCenter();
      q.set('center', c.lat.toFixed(4) + ',' + c.lng.toFixed(4));
      q.set('zoom', String(map.getZoom()));
      return q;
    }
    var writing = null;
    function writeUrl() {
      renderCaption();
      if (EMBED || OFFLINE) return; // an embedded or offline map does not rewrite its address
      if (writing) clearTimeout(writing);
      writing = setTimeout(function () {
        writing = null;
        history.replaceState(null, '', '?' + stateParams(D.lang).toString());
        $('im-lang').setAttribute('href', '?' + stateParams(OTHER).toString());
      }, 150);
    }
    function defaultView() {
      // The district asked for, else the whole city; clear of the side panel on wide screens.
      var pad = window.matchMedia('(min-width: 700px)').matches && !EMBED ? [360, 0] : [0, 0];
      var bounds = districtLayer.getBounds();
      districtLayer.eachLayer(function (l) {
        if (l.feature.properties.name_zh === state.district) bounds = l.getBounds();
      });
      map.fitBounds(bounds, { animate: false, paddingTopLeft: pad });
    }
    function readUrl() {
      var q = query;
      // category (the export's word) selects layers like layers does; both may be given.
      var wantedIds = null;
      if (q.has('layers')) wantedIds = q.get('layers').split(',');
      if (q.get('category')) {
        var cats = q.get('category').split(',');
        wantedIds = (wantedIds || cats.concat(['hubs'])).filter(function (k) { return k === 'hubs' || cats.indexOf(k) >= 0; });
      }
      if (wantedIds) {
        var wanted = wantedIds;
        Object.keys(layers).forEach(function (k) {
          var on = wanted.indexOf(k) >= 0;
          if (on && !map.hasLayer(layers[k].fg)) map.addLayer(layers[k].fg);
          if (!on && map.hasLayer(layers[k].fg)) map.removeLayer(layers[k].fg);
        });
      }
      if (districtByZh[q.get('district')]) state.district = q.get('district');
      if (D.years.indexOf(Number(q.get('year'))) >= 0) state.year = q.get('year');
      if (D.statuses[q.get('status')]) state.status = q.get('status');
      if (q.get('metric') === 'all' || D.categories[q.get('metric')]) state.metric = q.get('metric');
      if (q.get('q')) { state.q = q.get('q').slice(0, 100); $('im-q').value = state.q; }
      ['year', 'district', 'status', 'metric'].forEach(function (k) { $('im-' + k).value = state[k]; });
      setBasemap(q.get('basemap') || D.defaultBasemap);
      var c = (q.get('center') || '').split(',').map(Number);
      var z = Number(q.get('zoom'));
      if (c.length === 2 && isFinite(c[0]) && isFinite(c[1]) && q.get('zoom') && isFinite(z)) {
        map.setView(display(L.latLng(c[0], c[1])), z, { animate: false });
      } else if (q.get('bbox') && q.get('bbox').split(',').length === 4) {
        var b = q.get('bbox').split(',').map(Number); // min lon, min lat, max lon, max lat
        map.fitBounds([display(L.latLng(b[1], b[0])), display(L.latLng(b[3], b[2]))], { animate: false });
      } else {
        defaultView();
        // An embed or a screenshot may be laid out before its final size: fit again on resize.
        if (EMBED || OFFLINE) map.on('resize', defaultView);
      }
    }

    // --- wiring ------------------------------------------------------------------------------
    function refresh() {
      applyFilters();
      restyleDistricts();
      if (state.district) showDistrict();
      else if ($('im-detail-body').querySelector('.im-counts')) $('im-detail').hidden = true;
      writeUrl();
    }
    ['year', 'district', 'status', 'metric'].forEach(function (k) {
      $('im-' + k).addEventListener('change', function (e) { state[k] = e.target.value; refresh(); });
    });
    $('im-basemap').addEventListener('change', function (e) { setBasemap(e.target.value); restyleDistricts(); writeUrl(); });
    districtLayer.on('click', function (e) {
      state.district = e.layer.feature.properties.name_zh;
      $('im-district').value = state.district;
      refresh();
    });
    map.on('moveend overlayadd overlayremove', function () { updateCount(); writeUrl(); });
    var toggle = $('im-toggle');
    toggle.addEventListener('click', function () {
      var open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      $('im-panel').classList.toggle('im-open', open);
    });

    // --- caption (embeds, PNG) -----------------------------------------------------------------
    function renderCaption() {
      var box = $('im-caption');
      if (box.hidden) return;
      var items = Object.keys(layers).filter(function (k) { return map.hasLayer(layers[k].fg); });
      $('im-caption-legend').innerHTML = items.map(function (k) {
        var cat = D.categories[k];
        var sw = k === 'hubs' ? '<span class="im-lsw im-hub"></span>'
          : '<span class="im-lsw" style="background:' + esc(cat ? cat.color : '#000') + '">' +
            (cat ? '<i class="fa-solid fa-' + esc(cat.icon) + '"></i>' : '') + '</span>';
        return '<li>' + sw + ' ' + esc(layers[k].spec.title) + '</li>';
      }).join('');
      box.querySelector('.im-caption-datum').textContent = $('im-datum').textContent;
    }

    // --- share, embed and download -----------------------------------------------------------
    function toWgs(ll) {
      if (datum !== 'gcj02') return ll;
      var g = toGcj(ll.lat, ll.lng);
      return L.latLng(2 * ll.lat - g.lat, 2 * ll.lng - g.lng);
    }
    function filterParams() {
      var q = new URLSearchParams();
      q.set('layers', Object.keys(layers).filter(function (k) { return map.hasLayer(layers[k].fg); }).join(','));
      ['district', 'year', 'status', 'q'].forEach(function (k) { if (state[k]) q.set(k, state[k]); });
      return q;
    }
    function clampSize(id) {
      var v = Math.round(Number($(id).value)) || 600;
      return Math.min(4000, Math.max(200, v));
    }
    function updateShare() {
      var origin = location.origin + D.links;
      var here = stateParams(D.lang).toString();
      $('im-permalink').value = origin + '/?' + here;
      var eLang = $('im-e-lang').value;
      var q = $('im-e-view').checked ? stateParams(eLang) : new URLSearchParams({ lang: eLang });
      q.set('controls', $('im-e-controls').checked ? '1' : '0');
      q.set('scrollzoom', $('im-e-scroll').checked ? '1' : '0');
      q.set('fixed', $('im-e-fixed').checked ? '1' : '0');
      q.set('caption', $('im-e-caption').checked ? '1' : '0');
      var src = origin + '/embed?' + q.toString();
      $('im-embed-code').value = '<iframe src="' + esc(src) + '" width="' + clampSize('im-e-width') +
        '" height="' + clampSize('im-e-height') + '" style="border:0" loading="lazy" title="' +
        esc(T.title) + '" allowfullscreen></iframe>';
      var f = filterParams();
      if ($('im-dl-bbox').checked) {
        var b = map.getBounds(), sw = toWgs(b.getSouthWest()), ne = toWgs(b.getNorthEast());
        f.set('bbox', [sw.lng, sw.lat, ne.lng, ne.lat].map(function (v) { return v.toFixed(5); }).join(','));
      }
      $('im-dl-data').href = origin + '/api/places.' + $('im-dl-format').value + '?' + f.toString();
      $('im-dl-html').href = origin + '/export/map.html?' + here;
      $('im-dl-png').href = origin + '/export/map.png?' + here + '&width=1920&height=1080&scale=2';
    }
    $('im-e-lang').value = D.lang;
    $('im-share-open').addEventListener('click', function () { updateShare(); $('im-share').showModal(); });
    ['im-e-width', 'im-e-height', 'im-e-lang', 'im-e-view', 'im-e-controls', 'im-e-scroll',
     'im-e-fixed', 'im-e-caption', 'im-dl-format', 'im-dl-bbox'].forEach(function (id) {
      $(id).addEventListener('input', updateShare);
      $(id).addEventListener('change', updateShare);
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

    // --- embed presets -------------------------------------------------------------------------
    if (OFFLINE) document.body.classList.add('im-offline');
    if (EMBED) {
      document.body.classList.add('im-embed');
      if (embedOpts.controls) document.body.classList.add('im-controls');
      if (!embedOpts.scroll) map.scrollWheelZoom.disable();
      if (embedOpts.fixed) {
        document.body.classList.add('im-fixed');
        ['dragging', 'touchZoom', 'doubleClickZoom', 'scrollWheelZoom', 'boxZoom', 'keyboard'].forEach(function (h) { map[h].disable(); });
      }
      $('im-caption').hidden = !embedOpts.caption;
    }

    readUrl();
    refresh();
    if (window.matchMedia('(min-width: 700px)').matches && !EMBED) control.expand(); // phones: behind its button
    map.getContainer().setAttribute('data-ready', '1');
    window.innovationMap = { mode: OFFLINE ? 'offline' : EMBED ? 'embed' : 'map', map: map, records: records, layers: layers, districts: districtLayer,
                            state: state, focusPlace: focusPlace };
  }

  // folium defines the map and its layers later in the same script block: wait for it.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
