/* The search box: suggestions from each place's search keys (computed in Python, loaded when
 * the box is first used: lazy.js), best match first; a city too big for the page (aggregated
 * layers) is searched on the server as well. */
import { D, T, NAME, OTHER, $, esc, byId, districtByZh } from './data.js';
import { norm } from './filters.js';
import { loadLazy, withLazy } from './lazy.js';

var foundPlaces = [];
var activeResult = -1;
var remoteTimer = null;

/** Whether `a` and `b` are at most one edit apart (insert, delete, replace, or swap two
 * neighbours): the search box forgives one typo. */
export function oneEditApart(a, b) {
  if (a === b) return true;
  var la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  var i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one replaced
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swapped
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// Typos are forgiven in what was typed from 5 Latin characters, or 4 Chinese ones.
var CJK = /[\u3400-\u9fff]/;
function typoAllowed(n) { return CJK.test(n) ? n.length >= 4 : n.length >= 5; }

/** Rank of key `k` for typed `n`: 0 exact, 1 prefix, 2 inside, 3 one typo away; 9 none. */
function rank(k, n, typo) {
  if (k === n) return 0;
  var at = k.indexOf(n);
  if (at === 0) return 1;
  if (at > 0) return 2;
  if (!typo) return 9;
  // One typo in the whole key, or in its start (typing is not finished yet).
  if (oneEditApart(k, n)) return 3;
  for (var len = n.length - 1; len <= n.length + 1; len++) {
    if (len < k.length && oneEditApart(k.slice(0, len), n)) return 3;
  }
  return 9;
}

/** Every place for what was typed, best first: exact key (a name, an alias, an acronym),
 * then prefix, then inside, then one typo away; places with a point first, then places that
 * contain others (the bare name "Zhangjiang" means the science city, not a park in it), then
 * short names. */
export function searchAll(text) {
  var n = norm(text);
  if (!n) return [];
  var typo = typoAllowed(n);
  var scored = [];
  D.places.forEach(function (p) {
    var best = 9;
    (p.keys || []).concat(p.sk || []).forEach(function (k) { best = Math.min(best, rank(k, n, typo)); });
    if (best < 9) scored.push([best, p.ll ? 0 : 1, -(p.kids || 0), p[NAME].length, p]);
  });
  scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
  return scored.map(function (s) { s[4]._rank = s[0]; return s[4]; });
}

var totalFound = 0;

/** The ten best places for what was typed (searchAll). */
export function searchPlaces(text) {
  var all = searchAll(text);
  totalFound = all.length;
  return all.slice(0, 10);
}

function districtName(zh) { return districtByZh[zh] ? districtByZh[zh][NAME] : zh; }

function renderResults() {
  var box = $('im-results');
  var input = $('im-q');
  if (!input.value.trim()) { box.hidden = true; input.setAttribute('aria-expanded', 'false'); return; }
  box.innerHTML = foundPlaces.length ? foundPlaces.map(function (p, i) {
    var cat = D.categories[p.cat];
    return '<li role="option" id="im-opt-' + i + '" data-id="' + esc(p.id) + '"' +
      (i === activeResult ? ' aria-selected="true" class="im-active"' : '') + '>' +
      '<b>' + esc(p[NAME]) + '</b> <span lang="' + OTHER + '">' + esc(p[OTHER]) + '</span><br><small>' +
      esc(cat.title) + (p.d ? ' · ' + esc(districtName(p.d)) : '') + (p.ll ? '' : ' · ' + esc(T.not_on_map)) +
      (p._rank === 3 ? ' · ' + esc(T.near_results) : '') + '</small></li>';
  }).join('') + (totalFound > foundPlaces.length
    ? '<li class="im-muted im-more" aria-disabled="true">' + esc(T.more_results.replace('{n}', String(totalFound - foundPlaces.length))) + '</li>'
    : '') : '<li class="im-muted" role="option" aria-disabled="true">' + esc(T.no_results) + '</li>';
  box.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  if (activeResult >= 0) input.setAttribute('aria-activedescendant', 'im-opt-' + activeResult);
  else input.removeAttribute('aria-activedescendant');
}

function searchServer(text) {
  if (!D.partial || norm(text).length < 2) return;
  if (remoteTimer) clearTimeout(remoteTimer);
  remoteTimer = setTimeout(function () {
    fetch(D.links + '/api/places.geojson?unplaced=1&q=' + encodeURIComponent(text))
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (fc) {
        if ($('im-q').value !== text) return;
        var have = {};
        foundPlaces.forEach(function (p) { have[p.id] = true; });
        fc.features.slice(0, 10).forEach(function (f) {
          var pr = f.properties;
          if (have[f.id]) return;
          // Known only from the server: shown in the panel, not drawn (its layer is aggregated).
          var entry = { id: f.id, zh: pr.name_zh, en: pr.name_en, cat: pr.category, d: pr.district_zh || '',
                        keys: [], years: pr.years || [], tl: {}, st: pr.status || '', layer: null, ll: null };
          if (!byId[f.id]) byId[f.id] = entry;
          foundPlaces.push(entry);
        });
        renderResults();
      }, function () {});
  }, 250);
}

/** Wire the search box; `focusPlace(id)` shows a chosen place, `onClear` drops a q filter. */
export function setupSearch(focusPlace, onClear) {
  function choose(i) {
    var p = foundPlaces[i];
    if (!p) return;
    $('im-q').value = p[NAME];
    foundPlaces = []; activeResult = -1; renderResults();
    $('im-results').hidden = true;
    focusPlace(p.id);
  }
  // The keys are fetched as the box gets focus, so they are usually here by the first letter.
  $('im-q').addEventListener('focus', function () { loadLazy('keys').catch(function () {}); });
  $('im-q').addEventListener('input', function (e) {
    var text = e.target.value;
    var suggest = function () {
      if ($('im-q').value !== text) return; // typed on while the keys were loading
      foundPlaces = searchPlaces(text); activeResult = foundPlaces.length ? 0 : -1; renderResults();
    };
    withLazy(['keys'], suggest, suggest);
    searchServer(text);
    if (!text.trim()) onClear();
  });
  $('im-q').addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' && foundPlaces.length) { activeResult = (activeResult + 1) % foundPlaces.length; renderResults(); e.preventDefault(); }
    else if (e.key === 'ArrowUp' && foundPlaces.length) { activeResult = (activeResult - 1 + foundPlaces.length) % foundPlaces.length; renderResults(); e.preventDefault(); }
    else if (e.key === 'Enter') {
      e.preventDefault();
      // Enter pressed before the keys were here: search once they are, then choose.
      var text = e.target.value;
      withLazy(['keys'], function () {
        if (!foundPlaces.length && text.trim() && $('im-q').value === text) {
          foundPlaces = searchPlaces(text); activeResult = foundPlaces.length ? 0 : -1; renderResults();
        }
        choose(activeResult < 0 ? 0 : activeResult);
      }, function () {});
    }
    else if (e.key === 'Escape') { $('im-results').hidden = true; e.target.setAttribute('aria-expanded', 'false'); }
  });
  $('im-results').addEventListener('click', function (e) {
    var li = e.target.closest('li[data-id]');
    if (li) choose(foundPlaces.findIndex(function (p) { return p.id === li.getAttribute('data-id'); }));
  });
}
