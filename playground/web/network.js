// network.js: the network diagram. Every neuron is a small heatmap of its
// output over the view; every weight a link whose width follows its size
// and whose colour its sign. Hidden layers have + and − buttons and an
// activation menu.

import { classColors, decode, drawInput, drawThumb, features, mix3, rgb } from './draw.js';
import { t } from './i18n.js';

const svgNS = 'http://www.w3.org/2000/svg';
const node = 36; // neuron size, px
const gap = 12; // vertical gap between neurons, px
const head = 64; // room for the layer headers, px

export class NetView {
  // el: the container; opts.activations: the names to offer;
  // opts.maxNeurons; opts.onChange(layers): called with the new hidden
  // layers when the user edits them; opts.tooltip: the tooltip element.
  constructor(el, opts) {
    this.el = el;
    this.opts = opts;
    this.key = '';
    this.hover = null;
    this.frame = null;
    window.addEventListener('resize', () => {
      this.key = '';
      if (this.layers) this.setLayers(this.layers, this.classes, this.inputs, this.view);
    });
  }

  // setLayers rebuilds the diagram for the input features (drawn over the
  // view [lo, hi]²), the hidden layers and the classes, if they differ
  // from what it shows.
  setLayers(layers, classes, inputs = ['x1', 'x2'], view = [-6, 6]) {
    const key = JSON.stringify([layers, classes, inputs, view, this.el.clientWidth]);
    if (key === this.key) return;
    this.key = key;
    this.layers = layers.map((l) => ({ ...l }));
    this.classes = classes;
    this.inputs = [...inputs];
    this.view = [...view];
    this.build();
    if (this.frame) this.update(this.frame);
  }

  build() {
    const el = this.el;
    el.textContent = '';
    const sizes = [this.inputs.length, ...this.layers.map((l) => l.neurons), this.classes];
    const width = Math.max(el.clientWidth, 320);
    const tallest = Math.max(...sizes);
    const height = head + tallest * (node + gap) + 8;
    el.style.height = `${height}px`;
    const cols = sizes.length;
    const colX = (k) => 8 + ((width - node - 70) * k) / (cols - 1);
    const nodeY = (k, i) => head + i * (node + gap);
    this.pos = sizes.map((n, k) => Array.from({ length: n }, (_, i) => [colX(k), nodeY(k, i)]));

    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.classList.add('links');
    el.append(svg);
    this.links = [];
    for (let k = 0; k + 1 < sizes.length; k++) {
      const layer = [];
      for (let i = 0; i < sizes[k]; i++) {
        for (let j = 0; j < sizes[k + 1]; j++) {
          const [x1, y1] = this.pos[k][i];
          const [x2, y2] = this.pos[k + 1][j];
          const ax = x1 + node;
          const ay = y1 + node / 2;
          const bx = x2;
          const by = y2 + node / 2;
          const mx = (ax + bx) / 2;
          const p = document.createElementNS(svgNS, 'path');
          p.setAttribute('d', `M${ax},${ay} C${mx},${ay} ${mx},${by} ${bx},${by}`);
          p.dataset.link = `${k},${i},${j}`;
          svg.append(p);
          layer.push(p);
        }
      }
      this.links.push(layer);
    }
    svg.addEventListener('mousemove', (e) => this.hoverAt(e));
    svg.addEventListener('mouseleave', () => this.setHover(null));

    // Neurons.
    this.canvases = [];
    this.biases = [];
    sizes.forEach((n, k) => {
      const cs = [];
      const bs = [];
      for (let i = 0; i < n; i++) {
        const [x, y] = this.pos[k][i];
        const c = document.createElement('canvas');
        c.width = c.height = node;
        c.className = 'neuron';
        c.style.left = `${x}px`;
        c.style.top = `${y}px`;
        c.dataset.neuron = `${k},${i}`;
        c.addEventListener('mouseenter', (e) => this.setHover({ kind: 'neuron', k, i }, e));
        c.addEventListener('mousemove', (e) => this.moveTip(e));
        c.addEventListener('mouseleave', () => this.setHover(null));
        el.append(c);
        cs.push(c);
        if (k === 0) {
          drawInput(c.getContext('2d'), this.inputs[i], this.view);
          const lab = document.createElement('span');
          lab.className = 'inlabel';
          lab.textContent = (features[this.inputs[i]] || { label: this.inputs[i] }).label;
          lab.style.left = `${x + node + 3}px`;
          lab.style.top = `${y - 12}px`;
          el.append(lab);
        } else {
          const b = document.createElement('div');
          b.className = 'bias';
          b.style.left = `${x - 4}px`;
          b.style.top = `${y + node - 4}px`;
          el.append(b);
          bs.push(b);
        }
        if (k === sizes.length - 1) {
          const lab = document.createElement('span');
          lab.className = 'outlabel';
          lab.textContent = sizes[k] === 1 ? t('value') : t('class {k}', { k: i });
          lab.style.left = `${x + node + 4}px`;
          lab.style.top = `${y + node / 2 - 7}px`;
          lab.style.color = rgb(classColors[i % classColors.length]);
          el.append(lab);
        }
      }
      this.canvases.push(cs);
      this.biases.push(bs);
    });

    // Column headers.
    sizes.forEach((n, k) => {
      const h = document.createElement('div');
      h.className = 'colhead';
      h.style.left = `${this.pos[k][0][0] + node / 2}px`;
      if (k === 0) {
        h.innerHTML = `<b>${t('Input')}</b><small>${t(n === 1 ? '{n} feature' : '{n} features', { n })}</small>`;
      } else if (k === sizes.length - 1) {
        h.innerHTML = `<b>${t('Output')}</b><small>${n === 1 ? t('linear, a value') : t('softmax, {n} classes', { n })}</small>`;
      } else {
        const l = this.layers[k - 1];
        const row = document.createElement('div');
        row.className = 'pm';
        const plus = button('+', t('Add a neuron to layer {k}', { k }), () => this.edit(k - 1, +1));
        const minus = button('−', t('Remove a neuron from layer {k}', { k }), () => this.edit(k - 1, -1));
        plus.disabled = l.neurons >= this.opts.maxNeurons;
        minus.disabled = l.neurons <= 1;
        row.append(plus, minus);
        const label = document.createElement('small');
        label.textContent = t(l.neurons === 1 ? '{n} neuron' : '{n} neurons', { n: l.neurons });
        const sel = document.createElement('select');
        sel.title = t('Activation of layer {k}', { k });
        sel.setAttribute('aria-label', sel.title);
        sel.className = 'act';
        for (const a of this.opts.activations) sel.append(new Option(a, a, false, a === l.activation));
        sel.addEventListener('change', () => {
          const layers = this.layers.map((x) => ({ ...x }));
          layers[k - 1].activation = sel.value;
          this.opts.onChange(layers);
        });
        h.append(row, label, sel);
      }
      el.append(h);
    });
  }

  edit(layer, delta) {
    const layers = this.layers.map((x) => ({ ...x }));
    layers[layer].neurons += delta;
    this.opts.onChange(layers);
  }

  // update draws a frame's weights, and its thumbnails if they are new
  // (or the diagram was rebuilt).
  update(f, thumbsNew = true) {
    this.frame = f;
    if (!this.canvases) return;
    const sizes = f.net.sizes;
    if (sizes.length !== this.canvases.length) return;
    const thumbs = thumbsNew || this.drawn !== this.key ? decode(f.neurons.data) : null;
    this.drawn = this.key;
    const side = f.neurons.side;
    let off = 0;
    for (let k = 1; k < sizes.length; k++) {
      for (let i = 0; i < sizes[k]; i++) {
        const c = this.canvases[k][i];
        if (c && thumbs && off + side * side <= thumbs.length) drawThumb(c.getContext('2d'), thumbs, off, side);
        off += side * side;
        const b = f.net.b[k - 1][i];
        const bias = this.biases[k][i];
        if (bias) bias.style.background = rgb(weightColor(b));
      }
    }
    for (let k = 0; k < this.links.length; k++) {
      const w = f.net.w[k];
      const links = this.links[k];
      for (let n = 0; n < links.length; n++) {
        const v = w[n] ?? 0;
        const p = links[n];
        p.setAttribute('stroke', rgb(weightColor(v)));
        p.setAttribute('stroke-width', (0.5 + Math.min(Math.abs(v), 4) * 1.6).toFixed(2));
      }
    }
    if (this.hover) this.showTip();
  }

  hoverAt(e) {
    const t = e.target.closest('path');
    if (!t) return this.setHover(null);
    const [k, i, j] = t.dataset.link.split(',').map(Number);
    this.setHover({ kind: 'link', k, i, j }, e);
  }

  setHover(h, e) {
    if (this.hover && this.hover.path) this.hover.path.classList.remove('hot');
    this.hover = h;
    const tip = this.opts.tooltip;
    if (!h) {
      tip.hidden = true;
      return;
    }
    if (h.kind === 'link') {
      h.path = this.links[h.k][h.i * (this.pos[h.k + 1].length) + h.j];
      h.path.classList.add('hot');
    }
    if (e) this.moveTip(e);
    this.showTip();
  }

  moveTip(e) {
    const tip = this.opts.tooltip;
    tip.style.left = `${e.clientX + 14}px`;
    tip.style.top = `${e.clientY + 12}px`;
  }

  showTip() {
    const h = this.hover;
    const f = this.frame;
    const tip = this.opts.tooltip;
    if (!f) return;
    const last = f.net.sizes.length - 1;
    const name = (k, i) => (k === 0 ? (features[this.inputs[i]] || { label: '?' }).label : k === last ? t('output {i}', { i }) : t('neuron {i} of layer {k}', { i: i + 1, k }));
    if (h.kind === 'link') {
      const out = f.net.sizes[h.k + 1];
      const w = f.net.w[h.k]?.[h.i * out + h.j];
      if (w == null) return;
      tip.textContent = t('weight {w}: {from} → {to}', { w: fmtW(w), from: name(h.k, h.i), to: name(h.k + 1, h.j) });
    } else if (h.k === 0) {
      tip.textContent = t('input {name}: a feature of the point (x₁ its horizontal, x₂ its vertical coordinate)', { name: name(0, h.i) });
    } else {
      const b = f.net.b[h.k - 1]?.[h.i];
      const act = h.k === last ? t('softmax probability') : f.net.activations[h.k - 1];
      tip.textContent = t('{name} ({act}), bias {b}', { name: name(h.k, h.i), act, b: fmtW(b) });
    }
    tip.hidden = false;
  }
}

// weightColor maps a weight to orange (negative) or blue (positive),
// fading to light grey as it nears zero (full colour at |w| = 1).
function weightColor(w) {
  const t = Math.min(Math.abs(w), 1);
  return mix3([225, 228, 232], w < 0 ? classColors[0] : classColors[1], 0.25 + 0.75 * t);
}

function fmtW(w) {
  return w == null ? '–' : Math.abs(w) >= 100 ? w.toFixed(0) : w.toPrecision(3);
}

function button(text, title, onClick) {
  const b = document.createElement('button');
  b.className = 'round tiny';
  b.textContent = text;
  b.title = title;
  b.setAttribute('aria-label', title);
  b.addEventListener('click', onClick);
  return b;
}
