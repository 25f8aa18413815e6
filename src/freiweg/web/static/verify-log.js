// The public log checked in the browser: the checkpoint's Ed25519 signature (WebCrypto), consistency
// with the checkpoint remembered from the last visit (RFC 9162 section 2.1.4.2), and every entry
// hashed again into the signed root. The result is shown in words; nothing is sent anywhere.

const API = "/api/v1/log";
const PAGE = 1000;
const DASH = "\u2014 ";

class Failed extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

const encoder = new TextEncoder();

function fromBase64(text) {
  const raw = atob(text.trim());
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const leafHash = (bytes) => sha256(concat(new Uint8Array([0]), bytes));
const nodeHash = (left, right) => sha256(concat(new Uint8Array([1]), left, right));

async function treeRoot(leaves) {
  if (leaves.length === 0) return sha256(new Uint8Array());
  let level = leaves;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await nodeHash(level[i], level[i + 1]));
    if (level.length % 2) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

// RFC 9162 section 2.1.4.2.
async function consistent(size1, size2, root1, root2, proof) {
  if (size1 <= 0 || size1 > size2) return false;
  if (size1 === size2) return proof.length === 0 && equal(root1, root2);
  if (proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && equal(fr, root1) && equal(sr, root2);
}

async function fetchText(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Failed("network");
  return response.text();
}

async function fetchJson(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Failed("network");
  return response.json();
}

function parseKey(text) {
  const value = text.trim();
  const first = value.indexOf("+");
  const second = value.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw new Failed("signature");
  const raw = fromBase64(value.slice(second + 1));
  if (raw.length !== 33 || raw[0] !== 1) throw new Failed("signature");
  return { name: value.slice(0, first), id: value.slice(first + 1, second).toLowerCase(), publicKey: raw.slice(1) };
}

function parseCheckpoint(text) {
  const lines = text.split("\n");
  return { origin: lines[0], size: Number(lines[1]), root: fromBase64(lines[2]), text };
}

async function openCheckpoint(note, key) {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Failed("signature");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split("\n").filter((l) => l);
  let publicKey;
  try {
    publicKey = await crypto.subtle.importKey("raw", key.publicKey, { name: "Ed25519" }, false, ["verify"]);
  } catch (error) {
    throw new Failed("unsupported");
  }
  for (const line of lines) {
    if (!line.startsWith(DASH)) continue;
    const [name, material] = line.slice(DASH.length).split(" ");
    if (name !== key.name) continue;
    const raw = fromBase64(material);
    const id = Array.from(raw.slice(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    if (id !== key.id) continue;
    if (await crypto.subtle.verify({ name: "Ed25519" }, publicKey, raw.slice(4), encoder.encode(text))) {
      const checkpoint = parseCheckpoint(text);
      if (checkpoint.origin !== key.name) throw new Failed("signature");
      return checkpoint;
    }
  }
  throw new Failed("signature");
}

async function checkLog() {
  const key = parseKey(await fetchText(`${API}/key`));
  const checkpoint = await openCheckpoint(await fetchText(`${API}/checkpoint`), key);
  const memoryKey = `freiweg-log:${key.name}:${key.id}`;
  const remembered = localStorage.getItem(memoryKey);
  let outcome = { kind: "ok_first", size: checkpoint.size };
  if (remembered) {
    const old = parseCheckpoint(remembered);
    if (checkpoint.size < old.size) throw new Failed("shrunk");
    if (checkpoint.size === old.size) {
      if (!equal(checkpoint.root, old.root)) throw new Failed("forked");
      outcome = { kind: "ok_same", size: checkpoint.size };
    } else {
      if (old.size > 0) {
        const answer = await fetchJson(`${API}/proof/consistency?from=${old.size}&to=${checkpoint.size}`);
        const proof = answer.consistency_path.map(fromBase64);
        if (!(await consistent(old.size, checkpoint.size, old.root, checkpoint.root, proof))) {
          throw new Failed("forked");
        }
      }
      outcome = { kind: "ok_grown", size: checkpoint.size, old: old.size };
    }
  }
  const leaves = [];
  while (leaves.length < checkpoint.size) {
    const start = leaves.length;
    const end = Math.min(checkpoint.size, start + PAGE);
    const page = await fetchJson(`${API}/entries?start=${start}&end=${end}`);
    if (!page.entries.length) throw new Failed("missing");
    for (const item of page.entries) {
      if (item.index !== leaves.length) throw new Failed("entries");
      leaves.push(await leafHash(encoder.encode(item.entry)));
    }
  }
  if (!equal(await treeRoot(leaves.slice(0, checkpoint.size)), checkpoint.root)) throw new Failed("entries");
  localStorage.setItem(memoryKey, checkpoint.text);
  return outcome;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

async function main() {
  const target = document.getElementById("log-check");
  const messagesNode = document.getElementById("freiweg-log-messages");
  if (!target || !messagesNode) return;
  const messages = JSON.parse(messagesNode.textContent);
  try {
    const outcome = await checkLog();
    target.dataset.state = "ok";
    target.textContent = fill(messages[`check.${outcome.kind}`], outcome);
  } catch (error) {
    const reason = error instanceof Failed ? error.reason : "network";
    if (reason === "unsupported") {
      target.dataset.state = "unsupported";
      target.textContent = messages["check.unsupported"];
      return;
    }
    target.dataset.state = "failed";
    target.dataset.reason = reason;
    target.textContent = fill(messages["check.failed"], { reason: messages[`reason.${reason}`] });
  }
}

main();
