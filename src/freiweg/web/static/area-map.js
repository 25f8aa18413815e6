// What the Leaflet maps of the live page and the route page share: how an area is drawn and how
// its permanent label is kept clear of its neighbours' labels.

// Many areas are narrow lanes: the outline is drawn thick in the level's colour over a dark casing,
// so even a lane a few metres wide shows its colour. "url(#no-data)" is the page's grey hatch
// pattern, which Leaflet's SVG renderer uses as is.
export function areaStyle(fill) {
  const plain = fill.startsWith("#");
  return {
    color: plain ? fill : "#8a8a8a",
    weight: 5,
    dashArray: plain ? null : "6 4",
    fillColor: fill,
    fillOpacity: plain ? 0.85 : 1,
  };
}

export const CASING = { color: "#222222", weight: 8, fill: false, interactive: false };

// Leaflet wants [lat, lon]; GeoJSON rings are [lon, lat].
export function latLngs(rings) {
  return rings.map((ring) => ring.map(([lon, lat]) => [lat, lon]));
}

// Labels of neighbouring lanes may overlap: push each one below those already placed, in order.
export function declutter(layers) {
  const placed = [];
  for (const layer of layers) {
    const element = layer.getTooltip()?.getElement();
    if (!element) continue;
    element.style.marginTop = "0px";
    const rect = element.getBoundingClientRect();
    let shift = 0;
    for (let tries = 0; tries <= placed.length; tries += 1) {
      const hit = placed.find(
        (other) =>
          other.left < rect.right && rect.left < other.right &&
          other.top < rect.bottom + shift && rect.top + shift < other.bottom,
      );
      if (!hit) break;
      shift = hit.bottom - rect.top + 1;
    }
    element.style.marginTop = `${shift}px`;
    placed.push({ left: rect.left, right: rect.right, top: rect.top + shift, bottom: rect.bottom + shift });
  }
}

// A map without tiles says nothing about tiles; with tiles, their attribution only.
export function baseMap(L, box, tiles) {
  const map = L.map(box, {
    scrollWheelZoom: false,
    zoomSnap: 0.25,
    keyboard: true,
    // One finger scrolls the page on a phone; two fingers zoom the map.
    dragging: !L.Browser.mobile,
    attributionControl: Boolean(tiles.url),
  });
  if (tiles.url) {
    map.attributionControl.setPrefix(false);
    L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
  }
  return map;
}
