// Keeps the live page current: polls /index.json and redraws the list and the map in place.
// Without this script the server-rendered page is complete; the texts mirror web/presenters.py.

const body = document.body;
const client = JSON.parse(document.getElementById("freiweg-client").textContent);
const messages = client.messages;
const colours = client.colours;
const language = document.documentElement.lang;
const seconds = Math.min(Math.max(Number(body.dataset.refresh) || 60, 1), 600);
const loadedAt = Date.now();
const serverStart = Number(body.dataset.now) * 1000 || loadedAt;
const localParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: body.dataset.timezone || "Europe/Berlin",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
let etag = body.dataset.etag || null;
let timer = null;
let busy = false;

function say(key, values = {}) {
  return messages[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

function digits(number) {
  return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, messages.thousands_separator);
}

function parts(milliseconds) {
  const out = {};
  for (const part of localParts.formatToParts(milliseconds)) out[part.type] = part.value;
  return out;
}

// A moment as local "14:05", with its day when it is not today (the server's today).
function clockText(iso) {
  if (!iso) return "";
  const moment = parts(Date.parse(iso));
  const today = parts(serverStart + (Date.now() - loadedAt));
  const time = `${moment.hour}:${moment.minute}`;
  if (moment.year === today.year && moment.month === today.month && moment.day === today.day) return time;
  const monthName = messages.month_names.split(" ")[Number(moment.month) - 1];
  const day = Number(moment.day);
  return say("date_time", { day, dd: moment.day, mm: moment.month, month_name: monthName, time });
}

function hasEstimate(area) {
  return (area.status === "live" || area.status === "partial") && area.level !== null && area.people !== null;
}

// What the list and the map say about one area; missing data is said in words, never zero.
function describe(area) {
  const shown = { people: "", time: "", usual: "", note: "" };
  if (area.status === "partial") {
    const total = area.sensors.live + area.sensors.silent;
    shown.note = say("status.partial", { live: area.sensors.live, total });
  }
  if (area.status === "no_sensor") {
    const text = say("status.no_sensor");
    return { ...shown, level: text, map: text, fill: colours.no_sensor };
  }
  if (!hasEstimate(area)) {
    const since = clockText(area.last_data_at);
    const level = since ? say("status.no_data_since", { time: since }) : say("status.no_data_yet");
    return { ...shown, level, map: say("status.no_data"), fill: colours.no_data };
  }
  const level = say(`level.${area.level}`);
  const people = area.people;
  shown.people = say(people.estimate === 1 ? "people.one" : "people.other", {
    estimate: digits(people.estimate),
    low: digits(people.low),
    high: digits(people.high),
  });
  if (area.updated_at) shown.time = say("as_of", { time: clockText(area.updated_at) });
  if (area.usual) shown.usual = say(`usual.${area.usual.comparison}`);
  return { ...shown, level, map: level, fill: colours[area.level] };
}

function show(element, text) {
  element.textContent = text;
  element.hidden = !text;
}

function render(payload) {
  const items = new Map([...document.querySelectorAll("li.area")].map((li) => [li.dataset.id, li]));
  const same = payload.areas.length === items.size && payload.areas.every((area) => items.has(area.id));
  if (!same) {
    // Areas were added or removed: the map needs new shapes, which the server draws.
    window.location.reload();
    return;
  }
  const drawn = [];
  for (const area of payload.areas) {
    const view = describe(area);
    const item = items.get(area.id);
    const selector = `[data-id="${CSS.escape(area.id)}"]`;
    const shape = document.querySelector(`.map-area${selector}`);
    const label = document.querySelector(`.map-label${selector}`);
    const name = area.name[language];
    item.dataset.status = area.status;
    item.dataset.level = hasEstimate(area) ? area.level : "";
    const heading = item.querySelector(".area-name");
    (heading.querySelector("a") || heading).textContent = name;
    item.querySelector(".level-text").textContent = view.level;
    item.querySelector(".area-level rect").setAttribute("fill", view.fill);
    show(item.querySelector(".area-people"), view.people);
    show(item.querySelector(".area-time"), view.time);
    show(item.querySelector(".area-usual"), view.usual);
    show(item.querySelector(".area-note"), view.note);
    if (shape && label) {
      const number = label.querySelector(".map-number").textContent;
      shape.dataset.status = area.status;
      shape.querySelector("path").setAttribute("fill", view.fill);
      shape.querySelector("title").textContent = `${number} ${name}: ${view.level}`;
      label.querySelector(".map-level").textContent = view.map;
    }
    drawn.push({ id: area.id, name, fill: view.fill, map: view.map, level: view.level });
  }
  showDataTime(payload.areas);
  // The Leaflet map (live-map.js), when it runs, redraws from the same words and colours.
  document.dispatchEvent(new CustomEvent("freiweg:areas", { detail: drawn }));
}

// "Newest data: 14:05" over the map: the newest moment any area has data from.
function showDataTime(areas) {
  const element = document.getElementById("data-time");
  if (!element) return;
  const stamps = areas.map((area) => (hasEstimate(area) ? area.updated_at : area.last_data_at)).filter(Boolean);
  const newest = stamps.sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
  show(element, newest ? say("data_time", { time: clockText(newest) }) : "");
}

async function refresh() {
  clearTimeout(timer);
  if (!busy && !document.hidden) {
    busy = true;
    try {
      const headers = etag ? { "If-None-Match": etag } : {};
      const response = await fetch("/index.json", { headers, cache: "no-store" });
      if (response.ok) {
        render(await response.json());
        etag = response.headers.get("ETag");
      }
    } catch {
      // Offline or a hiccup: keep the last picture; every figure on it shows its own time.
    } finally {
      busy = false;
    }
  }
  timer = setTimeout(refresh, seconds * 1000);
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) refresh();
});
document.querySelector(".live-note")?.removeAttribute("hidden");
timer = setTimeout(refresh, seconds * 1000);
