/* The first view's fit, clear of what floats over the map: the side panel, the legend, the
 * layer switcher, the zoom buttons. Each box found on the map becomes an inset on the side it
 * is nearest to (the smallest inset that clears it), so the fitted districts fall in the open
 * rectangle left over, whatever the screen. */

const FLOATING = ['.im-panel', '.im-detail', '.im-map-legend', '.leaflet-control-layers',
                  '.leaflet-control-zoom', '.leaflet-control-attribution', '.leaflet-control-scale'];
const GAP = 8; // px between the data and a control

/** {paddingTopLeft, paddingBottomRight} for map.fitBounds, from the controls on screen now. */
export function clearPadding(map) {
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
      var side = Object.keys(sides).reduce(function (a, b) { return sides[b] < sides[a] ? b : a; });
      inset[side] = Math.max(inset[side], sides[side] + GAP);
    });
  });
  // A screen too small for the insets keeps at least half of each dimension for the data.
  var sx = Math.min(1, w / 2 / Math.max(1, inset.left + inset.right));
  var sy = Math.min(1, h / 2 / Math.max(1, inset.top + inset.bottom));
  return {
    paddingTopLeft: [Math.round(inset.left * sx), Math.round(inset.top * sy)],
    paddingBottomRight: [Math.round(inset.right * sx), Math.round(inset.bottom * sy)]
  };
}
