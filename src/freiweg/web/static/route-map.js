// The route on a Leaflet map over the areas (tiles only when configured); the SVG stays as fallback.
const box = document.getElementById("route-leaflet");
const source = document.getElementById("route-map-data");

function draw() {
  if (!box || !source || !window.L) return;
  const data = JSON.parse(source.textContent);
  const L = window.L;
  box.hidden = false;
  const map = L.map(box, { scrollWheelZoom: false, keyboard: true });
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  }
  for (const area of data.areas) {
    L.polygon(area.ring.map(([lon, lat]) => [lat, lon]), {
      color: "#333", weight: 1, fillColor: area.fill.startsWith("#") ? area.fill : "#bbb", fillOpacity: 0.7,
    }).bindTooltip(`${area.name}: ${area.text}`, { permanent: true, direction: "center", className: "area-label" })
      .addTo(map);
  }
  const line = L.polyline(data.route.map(([lon, lat]) => [lat, lon]), { color: "#08306b", weight: 7 }).addTo(map);
  map.fitBounds(line.getBounds(), { padding: [24, 24] });
  document.querySelector("svg.route-map")?.setAttribute("hidden", "");
}

if (window.L) draw();
else window.addEventListener("load", draw);
