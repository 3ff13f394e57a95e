/* Compare mode: two report years, the places that changed between them, counted and marked.
 * What changed is not worked out here: each place carries one code per pair of report years
 * (geo/compare.py); the query (filters.js) keeps the changes asked for, as the server does for
 * compare=a,b&change=... . */
import { D, T, $, byId } from './data.js';
import { matches, withQuery } from './filters.js';
import { state } from './state.js';
import { records } from './markers.js';

const CLASSES = Object.keys(D.compare.codes).map(function (c) { return 'im-chg-' + c; });

/** The change of place `id` in the query's pair of years ('' when not comparing or none). */
function changeOf(id) {
  var q = state.query;
  var p = byId[id];
  if (!q.compare || !p) return '';
  var code = (p.cmp || '')[D.compare.pairs.indexOf(q.compare)];
  var found = Object.keys(D.compare.codes).filter(function (c) { return D.compare.codes[c] === code; });
  return found.length ? found[0] : '';
}

function paint(id) {
  var el = records[id] && records[id].marker && records[id].marker.getElement();
  if (!el) return; // not on the map now (clustered or hidden): painted when it is added
  CLASSES.forEach(function (c) { el.classList.remove(c); });
  var change = changeOf(id);
  if (change) el.classList.add('im-chg-' + change);
}

/** {change: places the query keeps with that change} (the rest of the query unchanged). */
export function changeCounts() {
  var out = {};
  Object.keys(D.compare.codes).forEach(function (c) {
    var q = withQuery(state.query, { changes: [c] });
    out[c] = q.compare ? D.places.filter(function (p) { return matches(p, q); }).length : 0;
  });
  return out;
}

/** Show the state's compare mode: the controls, the counts and the marks on the markers. */
export function updateCompare() {
  var select = $('im-compare-pair');
  if (!select) return;
  var q = state.query;
  select.value = q.compare || '';
  var box = $('im-changes');
  box.hidden = !q.compare;
  var wanted = q.changes.length ? q.changes : D.compare.default;
  box.querySelectorAll('input[name=im-change]').forEach(function (input) {
    input.checked = wanted.indexOf(input.value) >= 0;
  });
  if (q.compare) {
    var years = q.compare.split(',');
    $('im-compare-title').textContent = T.compare_shown.replace('{a}', years[0]).replace('{b}', years[1]);
    var counts = changeCounts();
    box.querySelectorAll('.im-chg-n').forEach(function (b) {
      b.textContent = String(counts[b.getAttribute('data-change')]);
    });
  }
  document.body.classList.toggle('im-comparing', !!q.compare);
  Object.keys(records).forEach(paint);
}

/** Wire the controls; `onChange()` redraws the map after the query changed. */
export function setupCompare(onChange) {
  var select = $('im-compare-pair');
  if (!select) return;
  // Places counted on their district have no marker of their own.
  Object.keys(records).forEach(function (id) {
    if (records[id].marker) records[id].marker.on('add', function () { paint(id); });
  });
  select.addEventListener('change', function (e) {
    state.query.compare = e.target.value || null;
    state.query.changes = [];
    onChange();
  });
  $('im-changes').addEventListener('change', function () {
    var on = [];
    $('im-changes').querySelectorAll('input[name=im-change]').forEach(function (input) {
      if (input.checked) on.push(input.value);
    });
    // The default set is not written out: compare=a,b alone means new,advanced,dropped.
    var same = on.length === D.compare.default.length &&
      on.every(function (c) { return D.compare.default.indexOf(c) >= 0; });
    state.query.changes = same ? [] : on;
    onChange();
  });
}
