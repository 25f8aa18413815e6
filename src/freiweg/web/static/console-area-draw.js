// Drawing an area's outline on a Leaflet map: click or tap adds a corner, undo removes the last one,
// and the closed ring is written into the form's hidden field as GeoJSON coordinates [[lon, lat], ...].
function startDrawing() {
  const box = document.getElementById("area-map");
  const source = document.getElementById("area-map-data");
  const field = document.getElementById("area-rings");
  if (!box || !source || !field || !window.L) return;
  const L = window.L;
  const data = JSON.parse(source.textContent);
  const map = L.map(box, { scrollWheelZoom: false });
  // Leaflet needs a view before layers are added: the outline being edited, else every area.
  const shown = data.areas.filter((area) => area.id === data.editing);
  const around = (shown.length ? shown : data.areas).flatMap((area) => area.rings[0].map(([lon, lat]) => [lat, lon]));
  if (around.length) map.fitBounds(L.latLngBounds(around), { padding: [24, 24] });
  else map.setView([51.0, 10.4], 5);
  if (data.tiles) L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 20 }).addTo(map);
  const everything = L.featureGroup().addTo(map);
  for (const area of data.areas) {
    if (area.id === data.editing) continue;
    L.polygon(area.rings[0].map(([lon, lat]) => [lat, lon]), { color: "#666", weight: 1, fillOpacity: 0.15 })
      .bindTooltip(area.id, { direction: "center" })
      .addTo(everything);
  }
  // Holes of an area being edited stay as they are until its outline is drawn anew.
  let holes = [];
  let corners = [];
  try {
    const rings = field.value ? JSON.parse(field.value) : [];
    if (rings.length) {
      corners = rings[0].slice(0, -1).map(([lon, lat]) => [lat, lon]);
      holes = rings.slice(1);
    }
  } catch (error) {
    corners = [];
  }
  const shape = L.polygon([], { color: "#c60", weight: 3, fillOpacity: 0.25 }).addTo(map);
  const dots = L.layerGroup().addTo(map);
  const counter = document.getElementById("draw-count");

  function update() {
    shape.setLatLngs(corners);
    dots.clearLayers();
    for (const corner of corners) L.circleMarker(corner, { radius: 5, color: "#c60" }).addTo(dots);
    if (corners.length >= 3) {
      const ring = corners.map(([lat, lon]) => [Number(lon.toFixed(7)), Number(lat.toFixed(7))]);
      ring.push(ring[0]);
      field.value = JSON.stringify([ring, ...holes]);
    } else {
      field.value = "";
    }
    if (counter) counter.textContent = `${corners.length}`;
  }

  map.on("click", (event) => {
    holes = [];
    corners.push([event.latlng.lat, event.latlng.lng]);
    update();
  });
  document.getElementById("draw-undo")?.addEventListener("click", () => {
    corners.pop();
    update();
  });
  document.getElementById("draw-clear")?.addEventListener("click", () => {
    corners = [];
    holes = [];
    update();
  });
  update();
}

if (window.L) startDrawing();
else window.addEventListener("load", startDrawing);
