// The live map on Leaflet: every area coloured by its level and labelled with its number and the
// level in words; tiles only when the operator configured them. Without this script (or without
// Leaflet) the server-drawn SVG underneath shows the same facts. app.js announces each redraw.

import { areaStyle, baseMap, CASING, declutter, latLngs } from "./area-map.js";

const box = document.getElementById("live-leaflet");
const source = document.getElementById("live-map-data");
const client = JSON.parse(document.getElementById("freiweg-client").textContent);
const messages = client.messages;
const layers = new Map();

function say(key, values = {}) {
  return messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

// The permanent label on an area: its number over its level, as text (never colour alone).
function label(number, text) {
  const element = document.createElement("span");
  const numberPart = document.createElement("b");
  numberPart.className = "live-number";
  numberPart.textContent = String(number);
  const levelPart = document.createElement("span");
  levelPart.className = "live-level";
  levelPart.textContent = text;
  element.append(numberPart, " ", levelPart);
  return element;
}

function describeFor(path, area) {
  path.setAttribute(
    "aria-label",
    say("map_area_link", { number: area.number, name: area.name, level: area.level }),
  );
}

function open(area) {
  window.location.assign(`/areas/${encodeURIComponent(area.id)}`);
}

function draw() {
  if (!box || !source || !window.L) return;
  const L = window.L;
  const areas = JSON.parse(source.textContent);
  box.hidden = false;
  const map = baseMap(L, box, client.tiles);
  const outline = (area) => latLngs(area.rings);
  // The view first: permanent labels open only on a map that has one.
  map.fitBounds(areas.flatMap((area) => outline(area)[0]), { padding: [16, 16] });
  for (const area of areas) L.polygon(outline(area), CASING).addTo(map);
  for (const area of areas) {
    const rings = outline(area);
    const layer = L.polygon(rings, areaStyle(area.fill))
      .bindTooltip(label(area.number, area.map), {
        permanent: true,
        direction: "center",
        className: "live-label",
      })
      .on("click", () => open(area))
      .addTo(map);
    const path = layer.getElement();
    path.dataset.id = area.id;
    layer.getTooltip().getElement().dataset.id = area.id;
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    describeFor(path, area);
    path.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(area);
      }
    });
    layers.set(area.id, { layer, area });
  }
  const tidy = () => declutter([...layers.values()].map((found) => found.layer));
  tidy();
  map.on("zoomend moveend", tidy);
  document.getElementById("map-keys")?.removeAttribute("hidden");
  document.querySelector("svg.live-svg")?.setAttribute("hidden", "");
}

// app.js redrew the list and the SVG from a new answer: give the map the same words and colours.
document.addEventListener("freiweg:areas", (event) => {
  for (const update of event.detail) {
    const found = layers.get(update.id);
    if (!found) continue;
    const area = { ...found.area, ...update };
    found.area = area;
    found.layer.setStyle(areaStyle(area.fill));
    found.layer.setTooltipContent(label(area.number, area.map));
    describeFor(found.layer.getElement(), area);
  }
  declutter([...layers.values()].map((found) => found.layer));
});

if (window.L) draw();
else window.addEventListener("load", draw);
