/* Page data loaded when first needed, not with the page (layers/ui.py LAZY_PARTS): the
 * places' popups (when the first popup opens), their search keys (first search, or a q
 * filter) and the districts' profiles (the first district panel). An offline file carries them inline in #im-lazy-<name>; a served page names the
 * build's file there instead (data-src, under the app's root: mapapp/pages.py) and fetches it
 * once. */
import { D } from './data.js';

const loaded = {};
const pending = {};

/** What a part adds to the page once it is here. */
function attach(name, value) {
  if (name === 'keys') {
    // [keys, sk(, kids)] per place, in the order of D.places; kids: places it contains.
    D.places.forEach(function (p, i) { p.keys = value[i][0]; p.sk = value[i][1]; p.kids = value[i][2] || 0; });
  }
  if (name === 'profiles') D.districts.forEach(function (d, i) { d.profiles = value[i]; });
  loaded[name] = value;
  return value;
}

/** The part `name` when it is here already (inline, or fetched before), else null. */
export function lazyNow(name) {
  if (loaded[name]) return loaded[name];
  var el = document.getElementById('im-lazy-' + name);
  if (el && el.textContent) return attach(name, JSON.parse(el.textContent));
  return null;
}

/** A promise of the part `name` (one fetch, kept; rejected when it cannot be had). */
export function loadLazy(name) {
  var now = lazyNow(name);
  if (now) return Promise.resolve(now);
  if (!pending[name]) {
    var el = document.getElementById('im-lazy-' + name);
    var src = el && el.getAttribute('data-src');
    pending[name] = !src ? Promise.reject(new Error('no ' + name + ' in the page')) :
      fetch(src).then(function (r) {
        if (!r.ok) throw new Error(src + ': ' + r.status);
        return r.json();
      }).then(function (value) { return attach(name, value); }, function (err) {
        delete pending[name]; // a later need may try again
        throw err;
      });
  }
  return pending[name];
}

/** Run `fn` once every part of `names` is here: at once when they are (returns undefined),
 * else after loading them (returns the promise; `failed` runs if one cannot be had). */
export function withLazy(names, fn, failed) {
  if (names.every(function (n) { return lazyNow(n); })) { fn(); return undefined; }
  return Promise.all(names.map(loadLazy)).then(function () { fn(); }, function (err) {
    if (failed) failed(err);
    else throw err;
  });
}
