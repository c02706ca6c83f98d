// The interactive map: Leaflet with clustered markers, from signs.json. Under the
// tiles lies the bundled world outline (map/world.svg redrawn as polygons), so the map
// still shows land and sea when tiles cannot load (offline, a blocked tile server).
// Pins and clusters are drawn with the theme's colours (CSS classes in glyph.css).
// Without JavaScript (or if Leaflet fails to load) the static SVG map stays in place.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !L.markerClusterGroup) return;
  el.hidden = false;
  var fallback = document.getElementById("static-map");
  if (fallback) fallback.hidden = true;
  var map = L.map(el, { worldCopyJump: true }).setView([20, 0], 2);
  // Below the tile pane (z-index 200): tiles cover the outline once they load.
  map.createPane("outline").style.zIndex = 150;
  outline(map, el.dataset.world);
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon });
  var pin = L.divIcon({ className: "map-pin", html: "<span></span>", iconSize: [22, 22], iconAnchor: [11, 11], popupAnchor: [0, -10] });
  fetch(el.dataset.signs)
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.signs.forEach(function (s) {
        if (!s.location) return;
        var at = [s.location.lat, s.location.lon];
        cluster.addLayer(L.marker(at, { icon: pin, title: s.title, alt: s.title }).bindPopup(popup(s)));
        bounds.push(at);
      });
      map.addLayer(cluster);
      if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12 });
      el.setAttribute("data-markers", String(bounds.length));
    })
    .catch(function () {
      el.hidden = true;
      if (fallback) fallback.hidden = false;
    });

  function clusterIcon(c) {
    var n = c.getChildCount();
    var size = n < 10 ? 34 : n < 100 ? 40 : 48;
    return L.divIcon({ className: "marker-cluster map-cluster", html: "<span>" + n + "</span>", iconSize: [size, size] });
  }

  // On a page in another language than the default (data-lang-root), signs.json's
  // links (the default language's) lead to that language's pages instead.
  function href(url) {
    var root = el.dataset.root, own = el.dataset.langRoot;
    return own && url.indexOf(root) === 0 ? own + url.slice(root.length) : url;
  }

  // Built with the DOM, never innerHTML: titles and places are the curator's text.
  function popup(s) {
    var link = document.createElement("a");
    link.href = href(s.url);
    link.className = "map-popup";
    if (s.images && s.images.length) {
      var img = document.createElement("img");
      img.src = s.images[0].url;
      img.width = 160;
      img.height = Math.round(160 * s.images[0].height / s.images[0].width);
      img.alt = s.alt || "";
      link.appendChild(img);
    }
    line(link, "map-popup-title", s.title);
    line(link, "map-popup-place", [s.place, s.city, s.country_name].filter(Boolean).join(", "));
    if (s.date) {
      var t = document.createElement("time");
      t.dateTime = s.date;
      t.textContent = s.date;
      t.className = "map-popup-date";
      link.appendChild(t);
    }
    return link;
  }

  function line(parent, cls, text) {
    if (!text) return;
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    parent.appendChild(span);
  }

  // world.svg is plate carrée (x = lon + 180, y = 90 - lat) with only M/L/Z commands,
  // so its paths turn straight into Leaflet rings, which Leaflet projects correctly.
  function outline(m, url) {
    if (!url) return;
    fetch(url)
      .then(function (r) { return r.text(); })
      .then(function (svg) {
        var rings = [];
        var paths = svg.match(/ d="[^"]+"/g) || [];
        paths.forEach(function (d) {
          d.slice(4, -1).split("Z").forEach(function (part) {
            var nums = part.replace(/[ML]/g, " ").trim().split(/[\s,]+/);
            var ring = [];
            for (var i = 0; i + 1 < nums.length; i += 2) {
              ring.push([90 - parseFloat(nums[i + 1]), parseFloat(nums[i]) - 180]);
            }
            if (ring.length > 2) rings.push(ring);
          });
        });
        L.polygon(rings, { pane: "outline", className: "map-land", interactive: false, weight: 0.6 }).addTo(m);
        el.setAttribute("data-outline", String(rings.length));
      })
      .catch(function () {});
  }
})();
