// The route on a Leaflet map over the areas (tiles only when configured); the SVG stays as fallback.
import { areaStyle, baseMap, CASING, declutter, latLngs } from "./area-map.js";

const box = document.getElementById("route-leaflet");
const source = document.getElementById("route-map-data");

// Leaflet puts a string tooltip in as HTML: area names are the operators' text, so the label is
// an element whose words are set as text.
function label(area) {
  const element = document.createElement("span");
  element.textContent = `${area.name}: ${area.text}`;
  return element;
}

function draw() {
  if (!box || !source || !window.L) return;
  const data = JSON.parse(source.textContent);
  const L = window.L;
  box.hidden = false;
  const map = baseMap(L, box, { url: data.tiles, attribution: data.attribution });
  const route = data.route.map(([lon, lat]) => [lat, lon]);
  // The view first: permanent labels open only on a map that has one.
  map.fitBounds(route, { padding: [24, 24] });
  for (const area of data.areas) L.polygon(latLngs([area.ring]), CASING).addTo(map);
  const labelled = data.areas.map((area) =>
    L.polygon(latLngs([area.ring]), areaStyle(area.fill))
      .bindTooltip(label(area), { permanent: true, direction: "center", className: "area-label" })
      .addTo(map),
  );
  L.polyline(route, { color: "#ffffff", weight: 11, interactive: false }).addTo(map);
  L.polyline(route, { color: "#08306b", weight: 7 }).addTo(map);
  const tidy = () => declutter(labelled);
  tidy();
  map.on("zoomend moveend", tidy);
  document.querySelector("svg.route-map")?.setAttribute("hidden", "");
}

if (window.L) draw();
else window.addEventListener("load", draw);
