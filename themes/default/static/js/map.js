// The interactive map: Leaflet with clustered markers, from signs.json. Without
// JavaScript (or if Leaflet fails to load) the static SVG map stays in its place.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !L.markerClusterGroup) return;
  el.hidden = false;
  var fallback = document.getElementById("static-map");
  if (fallback) fallback.hidden = true;
  L.Icon.Default.imagePath = el.dataset.images;
  var map = L.map(el, { worldCopyJump: true }).setView([20, 0], 2);
  L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution, maxZoom: 19 }).addTo(map);
  var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
  fetch(el.dataset.signs)
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.signs.forEach(function (s) {
        if (!s.location) return;
        var at = [s.location.lat, s.location.lon];
        // Built with the DOM, never innerHTML: titles are the curator's text.
        var link = document.createElement("a");
        link.href = s.url;
        link.className = "map-popup";
        if (s.images && s.images.length) {
          var img = document.createElement("img");
          img.src = s.images[0].url;
          img.width = 160;
          img.height = Math.round(160 * s.images[0].height / s.images[0].width);
          img.alt = s.alt || "";
          link.appendChild(img);
        }
        var title = document.createElement("span");
        title.textContent = s.title;
        link.appendChild(title);
        cluster.addLayer(L.marker(at, { title: s.title, alt: s.title }).bindPopup(link));
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
})();
