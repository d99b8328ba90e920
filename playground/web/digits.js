// digits.js: the digit page. The reader draws in a 280x280 box; each
// change is sent (as 112x112 pixels of ink) to POST /api/digits/predict,
// and the page shows the 28x28 image the network saw and its
// probabilities. At most one request is in flight; a change made meanwhile
// is sent when it returns.

import { langParam, t, translatePage } from './i18n.js';

const $ = (id) => document.getElementById(id);
const side = 112; // the drawing as sent

const app = {
  info: null, // GET /api/digits
  drawing: false,
  inked: false, // the box holds ink
  busy: false, // a request is in flight
  again: false, // the drawing changed while busy
  last: null, // the last prediction
  predictions: 0, // predictions received, for tests
};
window.kisoDigits = app; // for the browser test and the curious

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error((data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

// ---- Drawing ---------------------------------------------------------

const pad = $('pad');
const ctx = pad.getContext('2d');

function clearPad() {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  app.inked = false;
  app.last = null;
  showPrediction(null);
}

function pos(e) {
  const r = pad.getBoundingClientRect();
  return [((e.clientX - r.left) / r.width) * pad.width, ((e.clientY - r.top) / r.height) * pad.height];
}

function penWidth() {
  return $('thin').checked ? 10 : 20;
}

pad.addEventListener('pointerdown', (e) => {
  e.preventDefault();
  pad.setPointerCapture(e.pointerId);
  app.drawing = true;
  const [x, y] = pos(e);
  ctx.beginPath();
  ctx.arc(x, y, penWidth() / 2, 0, 2 * Math.PI);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(x, y);
  changed();
});
pad.addEventListener('pointermove', (e) => {
  if (!app.drawing) return;
  const [x, y] = pos(e);
  ctx.lineTo(x, y);
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = penWidth();
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x, y);
  changed();
});
for (const ev of ['pointerup', 'pointercancel']) pad.addEventListener(ev, () => (app.drawing = false));

function changed() {
  app.inked = true;
  if (!app.info || !app.info.model) return;
  if (app.busy) {
    app.again = true;
    return;
  }
  predict();
}

// ink returns the drawing as side×side bytes of ink, base64.
function ink() {
  const c = document.createElement('canvas');
  c.width = c.height = side;
  const g = c.getContext('2d');
  g.imageSmoothingEnabled = true;
  g.imageSmoothingQuality = 'high';
  g.drawImage(pad, 0, 0, side, side);
  const px = g.getImageData(0, 0, side, side).data;
  const bytes = new Uint8Array(side * side);
  for (let i = 0; i < bytes.length; i++) bytes[i] = px[4 * i]; // white ink: the red channel
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

async function predict() {
  app.busy = true;
  app.again = false;
  try {
    const p = await api('POST', '/api/digits/predict', { side, ink: ink() });
    if (app.inked) {
      app.last = p;
      app.predictions++;
      showPrediction(p);
    }
  } catch (e) {
    if (app.inked) showBanner(e.message);
  } finally {
    app.busy = false;
    if (app.again && app.inked) predict();
  }
}

// ---- Showing ---------------------------------------------------------

function setupBars(labels) {
  const box = $('bars');
  box.textContent = '';
  labels.forEach((label, k) => {
    const name = document.createElement('span');
    name.textContent = label;
    const track = document.createElement('div');
    track.className = 'track';
    const fill = document.createElement('div');
    fill.className = 'fill';
    track.append(fill);
    const out = document.createElement('output');
    out.textContent = '–';
    for (const el of [name, track, out]) el.dataset.k = String(k);
    box.append(name, track, out);
  });
}

function showPrediction(p) {
  const seen = $('seen').getContext('2d');
  const img = seen.createImageData(28, 28);
  if (p) {
    const b = atob(p.input);
    for (let i = 0; i < 784; i++) {
      const v = b.charCodeAt(i);
      img.data.set([v, v, v, 255], 4 * i);
    }
  } else {
    for (let i = 0; i < 784; i++) img.data.set([0, 0, 0, 255], 4 * i);
  }
  seen.putImageData(img, 0, 0);
  const bars = $('bars');
  for (const el of bars.children) {
    const k = Number(el.dataset.k);
    el.classList.toggle('top', !!p && k === p.class);
    const prob = p ? p.probabilities[k] : 0;
    if (el.className.includes('track')) el.firstChild.style.width = `${(prob * 100).toFixed(1)}%`;
    if (el.tagName === 'OUTPUT') el.textContent = p ? `${(prob * 100).toFixed(1)}%` : '–';
  }
  $('verdict').textContent = p ? p.labels[p.class] : '–';
  $('confidence').textContent = p ? t('{p}% sure', { p: (p.probabilities[p.class] * 100).toFixed(1) }) : '';
  const w = $('warnings');
  w.textContent = '';
  for (const msg of (p && p.warnings) || []) {
    const li = document.createElement('li');
    li.textContent = msg;
    w.append(li);
  }
}

let bannerTimer;
function showBanner(msg) {
  const b = $('banner');
  b.className = 'banner error';
  b.textContent = msg;
  b.hidden = false;
  clearTimeout(bannerTimer);
  bannerTimer = setTimeout(() => (b.hidden = true), 8000);
}

async function main() {
  translatePage();
  if (langParam) $('toPlayground').href = `/?lang=${langParam}`;
  $('clear').addEventListener('click', clearPad);
  clearPad();
  try {
    app.info = await api('GET', '/api/digits');
  } catch (e) {
    showBanner(t('Cannot reach the kiso server: {msg}', { msg: e.message }));
    return;
  }
  if (!app.info.model) {
    $('nomodel').hidden = false;
    setupBars(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    return;
  }
  setupBars(app.info.classes);
  const i = app.info;
  $('modelInfo').textContent = t('Model: {name}, trained on {data}', { name: i.name, data: i.dataset || '?' }) +
    (i.accuracy ? t(', {acc}% test accuracy', { acc: (i.accuracy * 100).toFixed(2) }) : '') + t('.');
  if (app.inked) predict();
}

main();
