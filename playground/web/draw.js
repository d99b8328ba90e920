// draw.js: colours, heatmaps and points on canvases.

// The class colours: the TensorFlow Playground's orange and blue first.
export const classColors = [
  [245, 147, 34], [8, 119, 189], [44, 160, 44], [148, 103, 189],
  [214, 39, 40], [140, 86, 75], [227, 119, 194], [127, 127, 127],
];
const white = [255, 255, 255];

export function rgb(c) {
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// mix3 returns the colour a fraction t of the way from a to b.
export function mix3(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}
const mix = mix3;

// divergingColor maps v in [-1, 1] to orange (negative), white (0) and
// blue (positive).
export function divergingColor(v) {
  return v < 0 ? mix(white, classColors[0], -v) : mix(white, classColors[1], v);
}

// decode returns the bytes of a base64 string.
export function decode(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// Offscreen canvases for the small images that are then scaled up.
const scratch = new Map();
function offscreen(side) {
  let c = scratch.get(side);
  if (!c) {
    c = document.createElement('canvas');
    c.width = c.height = side;
    scratch.set(side, c);
  }
  return c;
}

// drawHeat draws the decision-boundary heatmap: each cell the colour of its
// predicted class, faded to white as the network is less sure. With
// discrete set, cells take their class's colour at full confidence.
export function drawHeat(ctx, heat, classes, discrete) {
  const side = heat.side;
  const cls = decode(heat.class);
  const conf = decode(heat.conf);
  const off = offscreen(side);
  const octx = off.getContext('2d');
  const img = octx.createImageData(side, side);
  const floor = classes > 1 ? 1 / classes : 0; // a regression's conf is |value|
  for (let i = 0; i < side * side; i++) {
    const p = conf[i] / 255;
    let t = Math.max(0, (p - floor) / (1 - floor));
    if (discrete) t = 1;
    const c = mix(white, classColors[cls[i] % classColors.length], 0.6 * t);
    img.data[4 * i] = c[0];
    img.data[4 * i + 1] = c[1];
    img.data[4 * i + 2] = c[2];
    img.data[4 * i + 3] = 255;
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = !discrete;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(off, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

// drawThumb draws one neuron's thumbnail (bytes b, side×side, from offset)
// onto ctx.
export function drawThumb(ctx, bytes, offset, side) {
  const off = offscreen(side);
  const octx = off.getContext('2d');
  const img = octx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const c = divergingColor((2 * bytes[offset + i]) / 255 - 1);
    img.data[4 * i] = c[0];
    img.data[4 * i + 1] = c[1];
    img.data[4 * i + 2] = c[2];
    img.data[4 * i + 3] = 255;
  }
  octx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, ctx.canvas.width, ctx.canvas.height);
}

// features are the input features (Config.Features): each its label and
// its value at the point (x1, x2).
export const features = {
  x1: { label: 'x₁', f: (x1) => x1 },
  x2: { label: 'x₂', f: (x1, x2) => x2 },
  x1sq: { label: 'x₁²', f: (x1) => x1 * x1 },
  x2sq: { label: 'x₂²', f: (x1, x2) => x2 * x2 },
  x1x2: { label: 'x₁x₂', f: (x1, x2) => x1 * x2 },
  sinx1: { label: 'sin x₁', f: (x1) => Math.sin(x1) },
  sinx2: { label: 'sin x₂', f: (x1, x2) => Math.sin(x2) },
};

// drawInput draws an input neuron's thumbnail: the feature name over the
// view [lo, hi]², divided by its largest magnitude there.
export function drawInput(ctx, name, view) {
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  const [lo, hi] = view;
  const f = (features[name] || features.x1).f;
  const vals = new Float64Array(w * h);
  let top = 1e-12;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = f(lo + ((j + 0.5) / w) * (hi - lo), hi - ((i + 0.5) / h) * (hi - lo));
      vals[i * w + j] = v;
      top = Math.max(top, Math.abs(v));
    }
  }
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = vals[i * w + j] / top;
      const c = divergingColor(v);
      const k = 4 * (i * w + j);
      img.data[k] = c[0];
      img.data[k + 1] = c[1];
      img.data[k + 2] = c[2];
      img.data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

// drawPoints draws the data points over the view [lo, hi]²: training
// points with a white ring, test points with a dark one (only if
// showTest).
export function drawPoints(ctx, points, view, showTest) {
  const [lo, hi] = view;
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  const r = points.length > 400 ? 3 : 4;
  for (const p of points) {
    if (p.test && !showTest) continue;
    const x = ((p.x - lo) / (hi - lo)) * w;
    const y = ((hi - p.y) / (hi - lo)) * h;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = rgb(classColors[p.label % classColors.length]);
    ctx.fill();
    ctx.lineWidth = p.test ? 1.6 : 1;
    ctx.strokeStyle = p.test ? '#222' : '#fff';
    ctx.stroke();
  }
}

// drawAxes draws light grid lines at the view's integer ticks and labels
// its corners.
export function drawAxes(ctx, view) {
  const [lo, hi] = view;
  const w = ctx.canvas.width;
  const h = ctx.canvas.height;
  const span = hi - lo;
  const step = span > 8 ? 2 : span > 4 ? 1 : 0.5;
  ctx.save();
  ctx.strokeStyle = 'rgba(0,0,0,0.08)';
  ctx.lineWidth = 1;
  ctx.fillStyle = 'rgba(0,0,0,0.45)';
  ctx.font = '10px system-ui, sans-serif';
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
    const x = ((v - lo) / span) * w;
    const y = ((hi - v) / span) * h;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
    ctx.moveTo(0, y);
    ctx.lineTo(w, y);
    ctx.stroke();
    if (v !== lo && v !== hi) {
      ctx.fillText(String(Math.round(v * 10) / 10), x + 2, h - 3);
      ctx.fillText(String(Math.round(v * 10) / 10), 2, y - 2);
    }
  }
  ctx.restore();
}
