/* The detail panel: a district's profiles per report and the places the query keeps there,
 * or a place without a point. */
import { D, T, NAME, OTHER, $, esc, districtByZh } from './data.js';
import { matches, withQuery } from './filters.js';
import { state, OFFLINE, preset } from './state.js';
import { withLazy } from './lazy.js';

export function openDetail(html) {
  $('im-detail-body').innerHTML = html;
  $('im-detail').hidden = false;
}

function placeButton(p) {
  var cat = D.categories[p.cat];
  var where = p.ll ? '' : ' <small>(' + esc(T.not_on_map) + ')</small>';
  return '<li><button type="button" class="im-place" data-id="' + esc(p.id) + '">' +
    '<i class="fa-solid fa-' + esc(cat.icon) + '" style="color:' + esc(cat.color) + '"></i> ' +
    esc(p[NAME]) + '</button>' + where + '</li>';
}

function byName(a, b) { return a[NAME].localeCompare(b[NAME]); }

/** The places the query keeps in district `zh`: [drawn, without a point]. */
export function districtPlaces(zh) {
  var q = withQuery(state.query, { districts: [zh] });
  var drawn = D.places.filter(function (p) { return p.ll && matches(p, q); });
  var q1 = withQuery(q, { unplaced: true });
  var listed = D.places.filter(function (p) { return !p.ll && matches(p, q1); });
  return [drawn.sort(byName), listed.sort(byName)];
}

function districtHtml(d) {
  var here = districtPlaces(d.zh);
  var html = '<h2>' + esc(d[NAME]) + ' <small lang="' + OTHER + '">' + esc(d[OTHER]) + '</small></h2>';
  html += '<p class="im-counts">' + esc(T.counts) + ': <b>' + here[0].length + '</b></p>';
  // The chart (places by category per report year) is the district page's own SVG, fetched
  // (loadChart): one definition, and no chart code in the map page. A file carries its charts.
  if (!OFFLINE || (preset.charts && preset.charts[d.zh])) html += '<div class="im-chart-box" data-district="' + esc(d.zh) + '"><h3>' + esc(D.carto.t.chart) + '</h3></div>';
  var reports = {};
  D.districts.forEach(function (x) { x.profiles.forEach(function (pr) { reports[pr.report] = true; }); });
  var years = (state.query.years || []).map(String);
  html += '<h3>' + esc(T.profile) + '</h3>';
  Object.keys(reports).sort().forEach(function (report) {
    var meta = D.reports[report] || { year: '', title: report };
    var mine = d.profiles.filter(function (pr) { return pr.report === report; });
    var current = years.indexOf(String(meta.year)) >= 0 ? ' im-current' : '';
    html += '<section class="im-profile' + current + '"><h4>' + esc(meta.year) + ' · ' + esc(meta.title) + '</h4>';
    if (!mine.length) html += '<p class="im-muted">' + esc(T.no_profile) + '</p>';
    mine.forEach(function (pr) {
      html += '<p><b>' + esc(pr.headline) + '</b></p><blockquote>' + esc(pr.text) +
        '</blockquote><cite>' + esc(report) + ', ' + esc(T.line) + ' ' + esc(pr.line) + '</cite>';
    });
    html += '</section>';
  });
  // Places known only by district have no pin: they are listed apart (and counted here).
  var pinned = here[0].filter(function (p) { return p.prec !== 'district'; });
  var onlyHere = here[0].filter(function (p) { return p.prec === 'district'; });
  html += '<h3>' + esc(T.places_here) + ' (<span class="im-here">' + here[0].length + '</span>)</h3>' +
    '<ul class="im-places">' + pinned.map(placeButton).join('') + '</ul>';
  if (onlyHere.length) {
    html += '<h4>' + esc(D.carto.t.district_only_title) + ' (' + onlyHere.length + ')</h4>' +
      '<ul class="im-places im-district-only">' + onlyHere.map(placeButton).join('') + '</ul>';
  }
  if (here[1].length) {
    html += '<h3>' + esc(T.without_point) + ' (' + here[1].length + ')</h3>' +
      '<ul class="im-places im-unplaced">' + here[1].map(placeButton).join('') + '</ul>';
  }
  html += '<p><a href="' + esc(D.links) + '/districts/' + encodeURIComponent(d.zh) + '?lang=' + D.lang + '">' + esc(T.details) + '</a></p>';
  return html;
}

const charts = {}; // district → its SVG, fetched once

function loadChart() {
  var box = $('im-detail-body').querySelector('.im-chart-box');
  if (!box) return;
  var zh = box.getAttribute('data-district');
  function put(svg) { if (box.isConnected && svg.lastIndexOf('<svg', 0) === 0) box.insertAdjacentHTML('beforeend', svg); }
  if (OFFLINE) charts[zh] = preset.charts[zh];
  if (charts[zh]) { put(charts[zh]); return; }
  fetch(D.links + '/districts/' + encodeURIComponent(zh) + '/chart.svg?lang=' + D.lang)
    .then(function (r) { return r.ok ? r.text() : ''; })
    .then(function (svg) { if (svg) { charts[zh] = svg; put(svg); } }, function () {});
}

/** Show the panel of the one district the query names (hide a district panel otherwise). */
export function showDistrictPanel() {
  var names = state.query.districts;
  if (names.length === 1 && districtByZh[names[0]]) {
    // The profiles are loaded with the first panel (lazy.js); the query may change meanwhile.
    withLazy(['profiles'], function () {
      var now = state.query.districts;
      if (now.length === 1 && districtByZh[now[0]]) { openDetail(districtHtml(districtByZh[now[0]])); loadChart(); }
    }, function (err) { console.error(err); });
  } else if ($('im-detail-body').querySelector('.im-counts')) $('im-detail').hidden = true;
}

/** The panel of a place that has no point. */
export function unplacedHtml(p) {
  return '<h2>' + esc(p[NAME]) + ' <small lang="' + OTHER + '">' + esc(p[OTHER]) + '</small></h2>' +
    '<p>' + esc(D.categories[p.cat].title) + (p.d ? ' · ' + esc(p.d) : '') + '</p>' +
    '<p class="im-muted">' + esc(T.not_on_map) + '</p>' +
    '<p><a href="' + esc(D.links) + '/places/' + encodeURIComponent(p.id) + '?lang=' + D.lang + '">' + esc(T.details) + '</a></p>';
}
