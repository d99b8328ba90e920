// app.js: the kiso playground page. It asks the server for a session,
// listens to its event stream and draws each frame; every control sends
// the server a request. All training happens in Go on the server.

import { fromURL, toURL } from './urlstate.js';
import { NetView } from './network.js';
import { classColors, drawAxes, drawHeat, drawPoints, features, rgb } from './draw.js';
import { drawCurves } from './chart.js';
import { langParam, t, translatePage } from './i18n.js';

const $ = (id) => document.getElementById(id);

const app = {
  info: null, // GET /api/info
  config: null, // the session's configuration
  id: null, // the session id
  es: null, // its EventSource
  frame: null, // the last frame
  points: [],
  history: [],
  playing: false,
  classes: 2,
  frames: 0, // frames received, for tests
  heatDirty: false, // a frame brought new heatmaps
  addClass: 0, // class of points added by clicking
  pending: false, // a render is scheduled
};
window.kisoPlayground = app; // for the browser test and the curious

// ---- Talking to the server -------------------------------------------

async function api(method, path, body, contentType = 'application/json') {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = contentType === 'application/json' ? JSON.stringify(body) : body;
    if (contentType) init.headers['Content-Type'] = contentType;
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) throw new Error((data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

async function newSession(config, play) {
  let res;
  try {
    res = await api('POST', '/api/session', config);
  } catch (e) {
    try {
      res = await api('POST', '/api/session', app.info.default);
      showBanner(t('{msg}. Started from the defaults instead.', { msg: e.message }), 'error');
    } catch (e2) {
      showBanner(t('Cannot start a session: {msg}', { msg: e2.message }), 'error', true);
      return;
    }
  }
  adopt(res, play);
}

// adopt switches the page to the session res ({id, config}).
function adopt(res, play) {
  closeSession();
  app.id = res.id;
  app.config = res.config;
  app.history = [];
  app.frame = null;
  $('dlModel').href = `/api/session/${app.id}/model.kiso`;
  $('dlHistory').href = `/api/session/${app.id}/history.csv`;
  syncControls();
  writeURL();
  connect();
  if (play) control('play');
}

function closeSession() {
  if (app.es) app.es.close();
  if (app.id) navigator.sendBeacon(`/api/session/${app.id}/close`);
  app.es = null;
  app.id = null;
}

function connect() {
  const es = new EventSource(`/api/session/${app.id}/events`);
  app.es = es;
  es.addEventListener('frame', (e) => onFrame(JSON.parse(e.data)));
  es.addEventListener('end', (e) => {
    es.close();
    ended(JSON.parse(e.data).reason);
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED && app.es === es) ended(t('the connection to the server was lost'));
  });
}

function ended(reason) {
  app.playing = false;
  showPlaying();
  const b = $('banner');
  b.className = 'banner error';
  b.textContent = t('This session has ended: {reason}. ', { reason });
  const again = document.createElement('button');
  again.textContent = t('Start again');
  again.addEventListener('click', () => {
    hideBanner();
    newSession(app.config, false);
  });
  b.append(again);
  b.hidden = false;
}

async function control(action) {
  if (!app.id) return;
  try {
    const r = await api('POST', `/api/session/${app.id}/control`, { action });
    app.playing = r.playing;
    showPlaying();
    writeURL();
  } catch (e) {
    showBanner(e.message, 'error');
  }
}

// changeConfig sends the configuration with patch applied; the server
// keeps training if only the way of training changed, or starts again.
async function changeConfig(patch) {
  const c = { ...app.config, ...patch };
  if (c.data !== 'custom') {
    delete c.custom;
    c.view = [0, 0];
  }
  try {
    const r = await api('POST', `/api/session/${app.id}/config`, c);
    app.config = r.config;
    if (r.reset) app.history = [];
  } catch (e) {
    showBanner(e.message, 'error');
  }
  syncControls();
  writeURL();
}

async function editPoints(edit) {
  try {
    const r = await api('POST', `/api/session/${app.id}/points`, edit);
    app.config = r.config;
    syncControls();
    writeURL();
  } catch (e) {
    showBanner(e.message, 'error');
  }
}

function writeURL() {
  if (app.config) history.replaceState(null, '', toURL(app.config, app.playing) + (langParam ? `&lang=${langParam}` : ''));
}

// ---- Frames ----------------------------------------------------------

function onFrame(f) {
  app.frames++;
  if (f.config) {
    app.config = f.config;
    syncControls();
    writeURL();
  }
  if (f.points) {
    app.points = f.points;
    app.heatDirty = true;
  }
  if (f.history_reset) app.history = [];
  if (f.history) {
    app.history.push(...f.history);
    if (app.history.length > 6000) app.history = app.history.filter((_, i) => i % 2 === 0);
  }
  if (f.playing !== app.playing) {
    app.playing = f.playing;
    showPlaying();
    writeURL();
  }
  app.classes = f.classes;
  // With many sessions playing, the server recomputes the heatmaps every
  // few frames only; keep the last ones until new ones come.
  if (f.heat) app.heatDirty = true;
  else if (app.frame) {
    f.heat = app.frame.heat;
    f.neurons = app.frame.neurons;
  }
  app.frame = f;
  if (!app.pending) {
    app.pending = true;
    requestAnimationFrame(render);
  }
}

function render() {
  app.pending = false;
  const f = app.frame;
  if (!f) return;
  $('stepCount').textContent = f.step.toLocaleString('en-US');
  $('sps').textContent = Math.round(f.steps_per_sec).toLocaleString('en-US');
  $('ups').textContent = Math.round(f.updates_per_sec);
  $('trainLoss').textContent = fmt(f.train.loss, 3);
  $('trainAcc').textContent = pct(f.train.accuracy);
  $('testLoss').textContent = f.test ? fmt(f.test.loss, 3) : t('no test set');
  $('testAcc').textContent = f.test ? pct(f.test.accuracy) : '–';
  drawCurves($('lossChart'), app.history, 1, 2, null);
  drawCurves($('accChart'), app.history, 3, 4, 1);
  if (app.heatDirty) drawOutput();
  net.setLayers(app.config.layers, f.classes, app.config.features, f.view);
  net.update(f, app.heatDirty);
  app.heatDirty = false;
  renderTiming(f.timing);
  renderClasses();
  if (f.error) showBanner(f.error, 'warn', true);
  else if ($('banner').dataset.sticky === 'frame') hideBanner();
}

function drawOutput() {
  const f = app.frame;
  if (!f) return;
  const canvas = $('heat');
  const ctx = canvas.getContext('2d');
  drawHeat(ctx, f.heat, f.classes, $('discrete').checked);
  drawAxes(ctx, f.view);
  drawPoints(ctx, app.points, f.view, $('showTest').checked);
}

function renderTiming(tm) {
  if (!tm || !tm.backprop_us) return;
  const bp = tm.backprop_us;
  const num = tm.numerical_us;
  const top = Math.max(bp, num);
  $('bpBar').style.width = `${Math.max((bp / top) * 100, 0.8)}%`;
  $('numBar').style.width = `${Math.max((num / top) * 100, 0.8)}%`;
  $('bpTime').textContent = micros(bp);
  $('numTime').textContent = micros(num);
  const batch = Math.min(app.config.batch, app.points.filter((p) => !p.test).length);
  $('timingNote').textContent = t('One gradient of the loss on a batch of {batch} points, {params} parameters. Central differences run the network twice per parameter ({runs} times); backprop runs it forward and back once: {ratio}× faster here.', {
    batch,
    params: tm.params,
    runs: (2 * tm.params).toLocaleString('en-US'),
    ratio: Math.round(num / bp).toLocaleString('en-US'),
  });
}

function renderClasses() {
  const n = Math.min(app.info.limits.max_classes, Math.max(app.classes, 2) + 1);
  const box = $('classes');
  if (box.childElementCount !== n) {
    box.textContent = '';
    for (let k = 0; k < n; k++) {
      const b = document.createElement('button');
      b.className = 'swatch';
      b.setAttribute('role', 'radio');
      b.style.setProperty('--c', rgb(classColors[k % classColors.length]));
      b.textContent = k < app.classes ? t('class {k}', { k }) : t('+ class {k}', { k });
      b.title = k < app.classes ? t('Add points of class {k}', { k }) : t('Add points of a new class {k}', { k });
      b.addEventListener('click', () => {
        app.addClass = k;
        renderClasses();
      });
      box.append(b);
    }
  }
  app.addClass = Math.min(app.addClass, n - 1);
  [...box.children].forEach((b, k) => b.setAttribute('aria-checked', String(k === app.addClass)));
  const legend = $('legend');
  const key = `${app.classes}`;
  if (legend.dataset.key !== key) {
    legend.dataset.key = key;
    legend.textContent = '';
    const item = (text, color) => {
      const s = document.createElement('span');
      const i = document.createElement('i');
      if (color) i.style.background = color;
      else i.className = 'ring';
      s.append(i, text);
      legend.append(s);
    };
    if (app.classes === 1) {
      item(t('negative value'), rgb(classColors[0]));
      item(t('positive value'), rgb(classColors[1]));
    } else {
      for (let k = 0; k < app.classes; k++) item(t('class {k}', { k }), rgb(classColors[k % classColors.length]));
    }
    item(t('test point (ringed)'), null);
  }
}

// ---- Controls --------------------------------------------------------

const lrs = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const batches = [1, 2, 4, 5, 10, 20, 30, 50, 100, 200, 500];
const regRates = [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const speeds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0];
const dataNames = { xor4: 'XOR: 4 points', circle: 'Circle', xor: 'XOR', gauss: 'Two gaussians', spiral: 'Spiral', plane: 'Plane', waves: 'Waves' };

function fillSelect(sel, values, label = String) {
  sel.textContent = '';
  for (const v of values) sel.append(new Option(label(v), String(v)));
}

// setSelect selects value, adding it if a link asked for one not listed.
function setSelect(sel, value) {
  const v = String(value);
  if (![...sel.options].some((o) => o.value === v)) sel.append(new Option(v, v));
  sel.value = v;
}

let net;

function setupControls() {
  const info = app.info;
  fillSelect($('lr'), lrs);
  fillSelect($('optimizer'), info.optimizers, (n) => ({ sgd: 'SGD', adagrad: 'AdaGrad', rmsprop: 'RMSprop', adam: 'Adam', momentum: 'Momentum', nesterov: 'Nesterov' })[n] || n);
  fillSelect($('batch'), batches);
  fillSelect($('regRate'), regRates);
  fillSelect($('speed'), speeds, (v) => (v === 0 ? t('max') : String(v)));
  fillSelect($('init'), info.inits, (v) => ({ xavier: 'Xavier', he: 'He' })[v] || `N(0, ${v}²)`);

  const num = (id, field, parse = Number) => $(id).addEventListener('change', (e) => changeConfig({ [field]: parse(e.target.value) }));
  num('lr', 'lr');
  num('batch', 'batch');
  num('regRate', 'reg_rate');
  num('speed', 'speed');
  num('optimizer', 'optimizer', String);
  num('reg', 'reg', String);
  num('grad', 'grad', String);
  num('init', 'init', String);
  num('draws', 'draws', String);
  $('problem').addEventListener('change', (e) => {
    const regression = e.target.value === 'regression';
    changeConfig({ problem: e.target.value, data: regression ? 'plane' : 'xor' });
  });
  num('seed', 'seed');

  const slider = (id, field, scale, label) => {
    const el = $(id);
    el.addEventListener('input', () => ($(`${id}Label`).textContent = label(Number(el.value))));
    el.addEventListener('change', () => changeConfig({ [field]: Number(el.value) / scale }));
  };
  slider('test', 'test_ratio', 100, (v) => `${100 - v}% : ${v}%`);
  slider('noise', 'noise', 100, (v) => `${v}%`);
  $('points').max = String(Math.min(1000, info.limits.max_points));
  slider('points', 'points', 1, (v) => String(v));

  const ds = $('datasets');
  for (const name of [...info.data_sets, ...info.regression_sets]) {
    const b = document.createElement('button');
    b.className = 'dataset';
    b.dataset.name = name;
    b.title = t(dataNames[name] || name);
    const c = document.createElement('canvas');
    c.width = c.height = 52;
    drawIcon(c.getContext('2d'), name);
    const s = document.createElement('span');
    s.textContent = t(dataNames[name] || name);
    b.append(c, s);
    b.addEventListener('click', () => changeConfig({ data: name }));
    ds.append(b);
  }

  $('tutorialPreset').addEventListener('click', async () => {
    app.history = [];
    await changeConfig(structuredClone(info.presets.tutorial));
    showBanner(t('The tutorial\'s network: press play for the tutorial\'s 30000 steps, or step through them one by one.'), 'info');
  });
  $('newSeed').addEventListener('click', () => {
    const a = new Uint32Array(1);
    crypto.getRandomValues(a);
    changeConfig({ seed: a[0] });
  });
  $('play').addEventListener('click', () => control(app.playing ? 'pause' : 'play'));
  $('step').addEventListener('click', () => control('step'));
  $('reset').addEventListener('click', () => {
    app.history = [];
    control('reset');
  });
  document.addEventListener('keydown', (e) => {
    if (e.code === 'Space' && !/INPUT|SELECT|TEXTAREA|BUTTON/.test(document.activeElement?.tagName || '')) {
      e.preventDefault();
      control(app.playing ? 'pause' : 'play');
    }
  });

  for (const name of info.features) {
    const b = document.createElement('button');
    b.dataset.name = name;
    b.textContent = features[name].label;
    b.title = t('Use {f} as an input', { f: features[name].label });
    b.addEventListener('click', () => {
      const on = app.config.features.includes(name);
      if (on && app.config.features.length === 1) return; // at least one
      // The features in the order the page lists them.
      const next = info.features.filter((f) => (f === name ? !on : app.config.features.includes(f)));
      changeConfig({ features: next });
    });
    $('features').append(b);
  }
  $('addLayer').addEventListener('click', () => {
    const layers = app.config.layers.map((l) => ({ ...l }));
    const last = layers[layers.length - 1];
    layers.push({ neurons: 2, activation: last ? last.activation : 'tanh' });
    changeConfig({ layers });
  });
  $('removeLayer').addEventListener('click', () => changeConfig({ layers: app.config.layers.slice(0, -1) }));

  net = new NetView($('net'), {
    activations: info.activations,
    maxNeurons: info.limits.max_neurons,
    tooltip: $('tooltip'),
    onChange: (layers) => changeConfig({ layers }),
  });

  const heat = $('heat');
  heat.addEventListener('click', (e) => clickPoint(e, e.shiftKey));
  heat.addEventListener('contextmenu', (e) => {
    e.preventDefault();
    clickPoint(e, true);
  });
  $('clearPoints').addEventListener('click', () => editPoints({ action: 'clear', x: 0, y: 0 }));
  $('showTest').addEventListener('change', drawOutput);
  $('discrete').addEventListener('change', drawOutput);

  $('csvFile').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    try {
      const q = new URLSearchParams({ test_ratio: app.config.test_ratio, seed: app.config.seed, name: file.name });
      const r = await api('POST', `/api/csv?${q}`, file, 'text/csv');
      await changeConfig({ data: 'custom', custom: r.points, view: [-6, 6] });
      showBanner(t('Loaded {n} points in {k} classes from {file}', { n: r.points.length, k: r.classes, file: file.name }) +
        (r.class_names ? ` (${r.class_names.map((n, i) => `${i}: ${n}`).join(', ')})` : '') + '.', 'info');
    } catch (err) {
      showBanner(err.message, 'error');
    }
  });
  $('modelFile').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    const form = new FormData();
    form.append('config', new Blob([JSON.stringify(app.config)], { type: 'application/json' }));
    form.append('model', file);
    try {
      const r = await api('POST', '/api/model', form, null);
      adopt(r, false);
      showBanner(t('Loaded {file}.', { file: file.name }), 'info');
    } catch (err) {
      showBanner(`${file.name}: ${err.message}`, 'error');
    }
  });
  $('copyLink').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $('copyLink').textContent = t('Copied!');
    } catch {
      $('copyLink').textContent = t('Copy from the address bar');
    }
    setTimeout(() => ($('copyLink').textContent = t('Copy link')), 1500);
  });
  window.addEventListener('pagehide', closeSession);
}

function clickPoint(e, remove) {
  const f = app.frame;
  if (!f) return;
  const canvas = $('heat');
  const r = canvas.getBoundingClientRect();
  const [lo, hi] = f.view;
  const span = hi - lo;
  const round = (v) => Math.round(v * 1000) / 1000;
  const x = round(lo + ((e.clientX - r.left) / r.width) * span);
  const y = round(hi - ((e.clientY - r.top) / r.height) * span);
  if (remove) {
    editPoints({ action: 'remove', x, y, radius: (10 / r.width) * span });
  } else {
    editPoints({ action: 'add', x, y, label: app.addClass, test: $('addTest').checked });
  }
}

// syncControls shows the configuration in the controls.
function syncControls() {
  const c = app.config;
  setSelect($('lr'), c.lr);
  setSelect($('optimizer'), c.optimizer);
  setSelect($('batch'), c.batch);
  setSelect($('reg'), c.reg);
  setSelect($('regRate'), c.reg_rate);
  setSelect($('grad'), c.grad);
  setSelect($('speed'), c.speed);
  setSelect($('init'), c.init);
  setSelect($('draws'), c.draws);
  $('seed').value = String(c.seed);
  $('test').value = String(Math.round(c.test_ratio * 100));
  $('testLabel').textContent = `${Math.round(100 - c.test_ratio * 100)}% : ${Math.round(c.test_ratio * 100)}%`;
  $('noise').value = String(Math.round(c.noise * 100));
  $('noiseLabel').textContent = `${Math.round(c.noise * 100)}%`;
  $('points').value = String(c.points);
  $('pointsLabel').textContent = String(c.points);
  const toy = c.data !== 'xor4' && c.data !== 'custom';
  for (const id of ['test', 'noise', 'points']) $(id).disabled = !toy;
  const regression = c.problem === 'regression';
  setSelect($('problem'), c.problem);
  for (const b of $('datasets').children) {
    b.classList.toggle('selected', b.dataset.name === c.data);
    b.style.display = app.info.regression_sets.includes(b.dataset.name) !== regression ? 'none' : '';
  }
  $('addPoints').style.display = regression ? 'none' : '';
  $('layerCount').textContent = String(c.layers.length);
  $('layerCount').nextSibling.textContent = t(c.layers.length === 1 ? ' hidden layer' : ' hidden layers');
  $('addLayer').disabled = c.layers.length >= app.info.limits.max_layers;
  $('removeLayer').disabled = c.layers.length === 0;
  $('regRate').disabled = c.reg === 'none';
  for (const b of $('features').children) b.setAttribute('aria-pressed', String(c.features.includes(b.dataset.name)));
  if (app.frame) net.setLayers(c.layers, app.classes, c.features, app.frame.view);
}

const icons = {
  play: '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M8 5v14l11-7z"/></svg>',
  pause: '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M6 5h4v14H6zM14 5h4v14h-4z"/></svg>',
};

function showPlaying() {
  const b = $('play');
  b.innerHTML = app.playing ? icons.pause : icons.play;
  b.classList.toggle('playing', app.playing);
  b.setAttribute('aria-label', t(app.playing ? 'Pause' : 'Play'));
}

let bannerTimer;
function showBanner(msg, kind, sticky) {
  const b = $('banner');
  b.className = `banner ${kind}`;
  b.textContent = msg;
  b.hidden = false;
  b.dataset.sticky = sticky ? 'frame' : '';
  clearTimeout(bannerTimer);
  if (!sticky) bannerTimer = setTimeout(hideBanner, kind === 'error' ? 8000 : 5000);
}

function hideBanner() {
  $('banner').hidden = true;
  $('banner').dataset.sticky = '';
}

// drawIcon draws a data set's symbol on a small canvas.
function drawIcon(ctx, name) {
  const w = ctx.canvas.width;
  ctx.fillStyle = '#f4f6f8';
  ctx.fillRect(0, 0, w, w);
  const dot = (x, y, k, r = 2.2) => {
    ctx.beginPath();
    ctx.arc(x * w, y * w, r, 0, 2 * Math.PI);
    ctx.fillStyle = rgb(classColors[k]);
    ctx.fill();
  };
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  switch (name) {
    case 'xor4':
      dot(0.25, 0.25, 1, 4);
      dot(0.75, 0.75, 1, 4);
      dot(0.25, 0.75, 0, 4);
      dot(0.75, 0.25, 0, 4);
      break;
    case 'circle':
      for (let i = 0; i < 60; i++) {
        const inside = i % 2 === 0;
        const r = inside ? rnd() * 0.2 : 0.3 + rnd() * 0.15;
        const a = rnd() * 2 * Math.PI;
        dot(0.5 + r * Math.cos(a), 0.5 + r * Math.sin(a), inside ? 1 : 0);
      }
      break;
    case 'xor':
      for (let i = 0; i < 60; i++) {
        const x = rnd();
        const y = rnd();
        dot(x, y, (x - 0.5) * (y - 0.5) > 0 ? 1 : 0);
      }
      break;
    case 'gauss':
      for (let i = 0; i < 60; i++) {
        const k = i % 2;
        const c = k ? 0.68 : 0.32;
        dot(c + (rnd() - 0.5) * 0.3, 1 - c + (rnd() - 0.5) * 0.3, k);
      }
      break;
    case 'plane':
    case 'waves':
      for (let i = 0; i < 70; i++) {
        const x = rnd();
        const y = rnd();
        const v = name === 'plane' ? x - y : Math.sin(6 * x) * Math.cos(6 * y);
        dot(x, y, v > 0 ? 1 : 0, 1.2 + 1.6 * Math.min(Math.abs(v), 1));
      }
      break;
    case 'spiral':
      for (let i = 0; i < 60; i++) {
        const k = i % 2;
        const t = (i >> 1) / 30;
        const a = 1.75 * t * 2 * Math.PI + k * Math.PI;
        dot(0.5 + 0.42 * t * Math.sin(a), 0.5 - 0.42 * t * Math.cos(a), 1 - k);
      }
      break;
  }
}

function fmt(v, d) {
  return v == null ? '–' : v.toFixed(d);
}

function pct(v) {
  return v == null ? '–' : `${(v * 100).toFixed(1)}%`;
}

function micros(us) {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(us >= 1e4 ? 0 : 1)} ms`;
  return `${us.toFixed(us >= 100 ? 0 : 1)} µs`;
}

async function main() {
  translatePage();
  if (langParam) $('toDigits').href = `digits.html?lang=${langParam}`;
  try {
    app.info = await api('GET', '/api/info');
  } catch (e) {
    showBanner(t('Cannot reach the kiso server: {msg}', { msg: e.message }), 'error', true);
    return;
  }
  setupControls();
  showPlaying();
  const { config, play } = fromURL(location.search, app.info.default);
  await newSession(config, play);
}

main();
