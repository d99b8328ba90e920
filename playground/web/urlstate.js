// urlstate.js: the configuration in the page's URL, so that a link
// reproduces a run. Short keys keep links readable:
//
//   problem data noise n test seed view feat layers act init opt lr batch reg rr grad speed draws pts play
//
// feat=x1,x2 (Config.Features); layers=4,4 act=tanh,tanh; pts=x,y,label[,t];... (t marks a test point);
// view=lo,hi; play=1 starts training on load. Numbers are written as
// JavaScript prints them, the shortest form that reads back to the same
// float64, so a link gives the server the very same points.

const keys = {
  problem: 'problem', data: 'data', noise: 'noise', points: 'n', test_ratio: 'test', seed: 'seed',
  init: 'init', optimizer: 'opt', lr: 'lr', batch: 'batch', reg: 'reg',
  reg_rate: 'rr', grad: 'grad', speed: 'speed', draws: 'draws',
};
const numeric = new Set(['noise', 'points', 'test_ratio', 'seed', 'lr', 'batch', 'reg_rate', 'speed']);

// fromURL returns the configuration in search (a query string) over the
// defaults def, and whether it asks to play on load.
export function fromURL(search, def) {
  const q = new URLSearchParams(search);
  const c = structuredClone(def);
  for (const [field, key] of Object.entries(keys)) {
    if (!q.has(key)) continue;
    const v = q.get(key);
    c[field] = numeric.has(field) ? Number(v) : v;
  }
  if (q.has('feat')) c.features = q.get('feat').split(',').filter(Boolean);
  if (q.has('layers')) {
    const sizes = q.get('layers') === '' ? [] : q.get('layers').split(',').map(Number);
    const acts = (q.get('act') || '').split(',');
    c.layers = sizes.map((n, i) => ({ neurons: n, activation: acts[i] || acts[0] || 'tanh' }));
  }
  if (q.has('view')) {
    const [lo, hi] = q.get('view').split(',').map(Number);
    c.view = [lo, hi];
  }
  if (c.data === 'custom') {
    c.custom = (q.get('pts') || '').split(';').filter(Boolean).map((s) => {
      const [x, y, label, t] = s.split(',');
      const p = { x: Number(x), y: Number(y), label: Number(label) };
      if (t === 't') p.test = true;
      return p;
    });
  }
  return { config: c, play: q.get('play') === '1' };
}

// toURL returns the query string for configuration c.
export function toURL(c, play) {
  const q = new URLSearchParams();
  for (const [field, key] of Object.entries(keys)) q.set(key, String(c[field]));
  q.set('feat', c.features.join(','));
  q.set('layers', c.layers.map((l) => l.neurons).join(','));
  q.set('act', c.layers.map((l) => l.activation).join(','));
  if (c.view && (c.view[0] !== 0 || c.view[1] !== 0)) q.set('view', c.view.join(','));
  if (c.data === 'custom') {
    q.set('pts', (c.custom || []).map((p) =>
      `${p.x},${p.y},${p.label}${p.test ? ',t' : ''}`).join(';'));
  }
  if (play) q.set('play', '1');
  return '?' + q.toString().replaceAll('%2C', ',').replaceAll('%3B', ';');
}
