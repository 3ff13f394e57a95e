/* The first view's fit, clear of what floats over the map: the side panel, the legend, the
 * layer switcher, the zoom buttons. Each box found on the map becomes an inset on the side where
 * clearing it costs the least of the map's area, so the fitted districts fall in the open
 * rectangle left over, whatever the screen. */

const FLOATING = ['.im-panel', '.im-detail', '.im-map-legend', '.leaflet-control-layers',
                  '.leaflet-control-zoom', '.leaflet-control-attribution', '.leaflet-control-scale'];
const GAP = 8; // px between the data and a control

/** On a phone the place or district panel is a sheet over the map's foot: the controls of the
 * map's lower corners (legend, zoom, attribution) sit on top of it, not over its text. */
export function liftControls(map) {
  var sheet = document.getElementById('im-detail');
  var lift = 0;
  if (sheet && !sheet.hidden && getComputedStyle(sheet).position === 'fixed') {
    lift = Math.max(0, Math.round(map.getContainer().getBoundingClientRect().bottom - sheet.getBoundingClientRect().top));
  }
  map.getContainer().querySelectorAll('.leaflet-bottom').forEach(function (el) { el.style.bottom = lift ? lift + 'px' : ''; });
}

/** Lift the controls (liftControls) whenever the sheet opens, closes or changes height. */
export function keepControlsClear(map) {
  var sheet = document.getElementById('im-detail');
  if (!sheet || !window.ResizeObserver) return;
  new ResizeObserver(function () { liftControls(map); }).observe(sheet);
}

/** {paddingTopLeft, paddingBottomRight} for map.fitBounds, from the controls on screen now. */
export function clearPadding(map) {
  liftControls(map);
  var frame = map.getContainer().getBoundingClientRect();
  var w = frame.width, h = frame.height;
  var inset = { left: 0, top: 0, right: 0, bottom: 0 };
  FLOATING.forEach(function (sel) {
    document.querySelectorAll(sel).forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width || !r.height || el.closest('[hidden]')) return;
      var box = { left: r.left - frame.left, top: r.top - frame.top, right: r.right - frame.left, bottom: r.bottom - frame.top };
      if (box.right <= 0 || box.bottom <= 0 || box.left >= w || box.top >= h) return; // off the map (a caption band)
      var sides = { left: box.right, top: box.bottom, right: w - box.left, bottom: h - box.top };
      // The side whose inset takes the least of the map's area (a sheet across a phone's foot:
      // the bottom, though it is nearly as tall as the screen is wide).
      var lost = { left: sides.left * h, top: sides.top * w, right: sides.right * h, bottom: sides.bottom * w };
      var side = Object.keys(sides).reduce(function (a, b) { return lost[b] < lost[a] ? b : a; });
      inset[side] = Math.max(inset[side], sides[side] + GAP);
    });
  });
  // A screen too small for the insets keeps at least a third of each dimension for the data
  // (a phone's bottom sheet alone takes almost half its height).
  var sx = Math.min(1, w * 2 / 3 / Math.max(1, inset.left + inset.right));
  var sy = Math.min(1, h * 2 / 3 / Math.max(1, inset.top + inset.bottom));
  return {
    paddingTopLeft: [Math.round(inset.left * sx), Math.round(inset.top * sy)],
    paddingBottomRight: [Math.round(inset.right * sx), Math.round(inset.bottom * sy)]
  };
}
