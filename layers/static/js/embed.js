/* Embeds and slides: the caption (a title that says what is shown, the legend, the source) in
 * bands beside and below the map, links that leave the frame, the language link that keeps
 * the state, the iframe's height for its host page, and popups that fit a phone's screen. */
import { D, T, NAME, $, esc, districtByZh } from './data.js';
import { state, stateParams, otherLangParams, EMBED, OFFLINE, SLIDE } from './state.js';

/** What the view shows, derived from the state and the build's reports (no literal year). */
export function captionTitle() {
  var q = state.query;
  var parts = [];
  if (q.years) {
    parts.push(q.years.slice().sort().map(function (y) { return T.cap_year.replace('{y}', y); }).join(', '));
  } else {
    var years = Object.keys(D.reports).map(function (k) { return Number(D.reports[k].year); }).filter(isFinite);
    if (!years.length) years = D.years.slice();
    years.sort();
    if (years.length === 1) parts.push(T.cap_year.replace('{y}', years[0]));
    else if (years.length) parts.push(T.cap_years.replace('{a}', years[0]).replace('{b}', years[years.length - 1]));
  }
  if (state.metric) {
    var m = state.metric === 'all' ? T.metric_all : state.metric === 'density' ? D.carto.t.metric_density
      : D.categories[state.metric].title;
    parts.push(T.cap_metric.replace('{m}', m));
  }
  return T.title + (parts.length ? (D.lang === 'zh' ? '：' : ': ') + parts.join(' · ') : '');
}

/** The filters of the view in words, and how many places are drawn. */
export function captionSubtitle(shown) {
  var q = state.query, out = [];
  var sep = D.lang === 'zh' ? '、' : ', ';
  if (q.districts.length) out.push(T.district + ': ' + q.districts.map(function (zh) { return districtByZh[zh] ? districtByZh[zh][NAME] : zh; }).join(sep));
  if (q.statuses.length) out.push(T.status + ': ' + q.statuses.map(function (s) { return D.statuses[s]; }).join(sep));
  if (q.categories.length) out.push(T.category + ': ' + q.categories.map(function (c) { return D.categories[c].title; }).join(sep));
  if (q.layers) {
    var titles = D.layers.filter(function (l) { return q.layers.indexOf(l.id) >= 0; }).map(function (l) { return l.title; });
    out.push(T.cap_layers + ': ' + (titles.length <= 4 ? titles.join(sep) : titles.length + ' / ' + D.layers.length));
  }
  if (q.text) out.push(T.search + ': “' + q.text + '”');
  if (q.bbox) out.push(T.bbox_filter + ': ' + q.bbox.join(', '));
  if (q.years) {
    var titles2 = Object.keys(D.reports).filter(function (k) { return q.years.indexOf(Number(D.reports[k].year)) >= 0; })
      .map(function (k) { return D.reports[k].title; });
    if (titles2.length) out.unshift(titles2.join(sep));
  }
  out.push(T.cap_shown.replace('{n}', String(shown)).replace('{t}', String(D.markers.length)));
  return out.join(' · ');
}

function captionSwatch(k) {
  var cat = D.categories[k];
  if (k === 'hubs') return '<span class="im-lsw im-hub"></span>';
  return '<span class="im-lsw" style="background:' + esc(cat ? cat.color : '#000') + '">' +
    (cat ? '<i class="fa-solid fa-' + esc(cat.icon) + '"></i>' : '') + '</span>';
}

/** Fill the caption: title, filters, the legend of the layers drawn, the choropleth's classes.
 * `drawnLayers` are the ids of the layers on the map that draw something; `shown` the count. */
export function renderCaption(map, groups, drawnLayers, shown) {
  var box = $('im-caption');
  if (box.hidden) return;
  $('im-cap-title').textContent = captionTitle();
  $('im-cap-sub').textContent = captionSubtitle(shown);
  $('im-caption-legend').innerHTML = drawnLayers.map(function (k) {
    return '<li>' + captionSwatch(k) + ' ' + esc(groups[k].spec.title) + '</li>';
  }).join('');
  // The choropleth's legend, as the page draws it (classes and their colours).
  $('im-cap-metric').innerHTML = state.metric ? $('im-legend').innerHTML : '';
  box.querySelector('.im-caption-datum').textContent = $('im-datum').textContent;
  var attr = map.attributionControl ? map.attributionControl.getContainer().textContent.trim() : '';
  $('im-cap-attr').textContent = attr ? ' · ' + attr : '';
  var full = $('im-cap-full');
  if (full) full.setAttribute('href', D.links + '/?' + stateParams(D.lang, null).toString());
  postHeight();
}

/** Point the language link at this page in the other language, with every current parameter. */
export function updateLangLink(view) {
  $('im-lang').setAttribute('href', '?' + otherLangParams(view).toString());
}

// --- links: inside a frame, a page of this site would be refused (it may not be framed) --------
function newTab(a) {
  var href = a.getAttribute('href');
  if (a.id === 'im-lang' || a.hasAttribute('download') || href.charAt(0) === '#') return;
  a.setAttribute('target', '_blank');
  a.setAttribute('rel', 'noopener');
}
function leaveFrame(node) {
  if (node.nodeType !== 1) return;
  if (node.matches('a[href]')) newTab(node);
  node.querySelectorAll('a[href]').forEach(newTab);
}

// --- the iframe's height: the host may grow the frame to show the caption whole --------------
function postHeight() {
  if (!EMBED || OFFLINE || window.parent === window) return;
  var height = Math.ceil(document.documentElement.scrollHeight);
  window.parent.postMessage({ type: 'innovation-map:height', height: height }, '*');
}

// --- popups: as wide as a phone allows, never under the search box ----------------------------
function popupPadding() {
  var panel = $('im-panel');
  var box = panel && panel.offsetParent !== null ? panel.getBoundingClientRect() : null;
  var pad = [10, 10];
  if (box && box.width > window.innerWidth * 0.6) pad = [10, Math.round(box.bottom) + 10]; // phone: panel on top
  else if (box) pad = [Math.round(box.right) + 10, 10]; // wide screen: panel on the left
  L.Popup.prototype.options.autoPanPaddingTopLeft = L.point(pad[0], pad[1]);
}

/** Apply the embed and slide presets: caption bands, scale bar, link targets, height messages. */
export function setupEmbed(map, opts) {
  var body = document.body;
  popupPadding();
  window.addEventListener('resize', popupPadding);
  // A popup taller than its maxHeight scrolls: keyboard users must be able to scroll it too.
  map.on('popupopen im:popupfilled', function (e) {
    var content = e.popup.getElement().querySelector('.leaflet-popup-content');
    if (content && content.scrollHeight > content.clientHeight) content.tabIndex = 0;
  });
  if (EMBED && !OFFLINE) {
    leaveFrame(body);
    // Popups and panels are filled later: their links get the same treatment as they appear.
    new MutationObserver(function (changes) {
      changes.forEach(function (c) { c.addedNodes.forEach(leaveFrame); });
    }).observe(body, { childList: true, subtree: true });
  }
  if (!EMBED) return;
  var caption = opts.caption || SLIDE;
  $('im-caption').hidden = !caption;
  if (caption) {
    body.classList.add('im-cap');
    if (SLIDE) body.classList.add('im-slide');
    // Fit the city to the frame left beside the caption, not to the nearest whole zoom.
    map.options.zoomSnap = SLIDE ? 0.25 : 0.5;
    map.attributionControl.setPrefix(false); // the attribution stays, without Leaflet's flag
    L.control.scale({ position: 'bottomleft', imperial: false, maxWidth: SLIDE ? 200 : 120 }).addTo(map);
    map.invalidateSize({ pan: false }); // the map's box changed: the view is fitted after this
    // The caption's height follows its text (filters, legend): Leaflet must hear of the change.
    if (window.ResizeObserver) new ResizeObserver(function () { map.invalidateSize({ pan: false }); }).observe(map.getContainer());
  }
  if (window.ResizeObserver) new ResizeObserver(postHeight).observe($('im-caption'));
  window.addEventListener('resize', postHeight);
  postHeight();
}
