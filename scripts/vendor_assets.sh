#!/usr/bin/env bash
# Vendor every JS/CSS/font asset folium 0.20.0 loads, at the exact versions it pins, from npm
# into mapapp/static/vendor/<package>@<version>/ (package-relative layout, so CSS url()s resolve).
# Run once when folium is upgraded; the result is committed. Needs node/npm (registry only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/mapapp/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --save-exact --no-audit --no-fund --ignore-scripts \
  leaflet@1.9.3 jquery@3.7.1 bootstrap@5.2.2 @fortawesome/fontawesome-free@6.2.0 \
  drmonty-leaflet-awesome-markers@2.0.2 glyphicons-only-bootstrap@1.0.1 d3@3.5.5 \
  leaflet.markercluster@1.1.0 leaflet-search@2.9.7 leaflet.fullscreen@3.0.0
nm="$work/node_modules"
rm -rf "$dest"
copy() {  # copy PACKAGE_DIR/FILE... into DEST_NAME keeping relative paths
  local pkg="$1" name="$2"; shift 2
  for f in "$@"; do
    mkdir -p "$dest/$name/$(dirname "$f")"
    cp -r "$nm/$pkg/$f" "$dest/$name/$f"
  done
}
copy leaflet leaflet@1.9.3 dist/leaflet.js dist/leaflet.css dist/images
copy jquery jquery@3.7.1 dist/jquery.min.js
copy bootstrap bootstrap@5.2.2 dist/js/bootstrap.bundle.min.js dist/css/bootstrap.min.css
copy @fortawesome/fontawesome-free fontawesome-free@6.2.0 css/all.min.css css/fontawesome.min.css css/solid.min.css webfonts
copy drmonty-leaflet-awesome-markers leaflet.awesome-markers@2.0.2 js/leaflet.awesome-markers.js css/leaflet.awesome-markers.css css/images
copy glyphicons-only-bootstrap glyphicons@1.0.1 css/bootstrap.min.css fonts
copy d3 d3@3.5.5 d3.min.js
copy leaflet.markercluster leaflet.markercluster@1.1.0 dist/leaflet.markercluster.js dist/MarkerCluster.css dist/MarkerCluster.Default.css
copy leaflet-search leaflet-search@2.9.7 dist/leaflet-search.min.js dist/leaflet-search.min.css images/search-icon.png images/loader.gif
copy leaflet.fullscreen leaflet.fullscreen@3.0.0 Control.FullScreen.js Control.FullScreen.css icon-fullscreen.svg
# folium's rotate CSS lives only in its GitHub repo: 360 generated rules.
mkdir -p "$dest/folium"
for i in $(seq 0 359); do printf '.fa-rotate-%d{transform:rotate(%ddeg)}' "$i" "$i"; done > "$dest/folium/leaflet.awesome.rotate.min.css"
for pkg in leaflet jquery bootstrap @fortawesome/fontawesome-free drmonty-leaflet-awesome-markers glyphicons-only-bootstrap d3 leaflet.markercluster leaflet-search leaflet.fullscreen; do
  node -e "const p=require('$nm/$pkg/package.json');console.log('| '+p.name+' | '+p.version+' | '+(p.license||'see package')+' |')"
done > "$dest/LICENSES.md.part"
{ echo "# Vendored assets"; echo; echo "Copied from npm by scripts/vendor_assets.sh at the versions folium 0.20.0 pins. Served from /static/vendor/."; echo; echo "| npm package | version | licence |"; echo "|---|---|---|"; cat "$dest/LICENSES.md.part"; echo "| folium rotate CSS | generated | MIT (folium) |"; } > "$dest/README.md"
rm "$dest/LICENSES.md.part"
du -sh "$dest"
