// chart.js: the loss and accuracy curves.

import { t } from './i18n.js';

export const trainColor = '#3b5b92';
export const testColor = '#e0611a';

// drawCurves draws two curves of rows (arrays [step, ...]) against the
// step: columns a (training) and b (test) of each row, on [0, yMax] (the
// largest value when yMax is null), with the last step.
export function drawCurves(canvas, rows, a, b, yMax) {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || canvas.width;
  const cssH = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(cssW * dpr)) {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  const left = 34;
  const right = 6;
  const top = 6;
  const bottom = 14;
  const w = cssW - left - right;
  const h = cssH - top - bottom;
  let top1 = yMax;
  if (top1 == null) {
    top1 = 0;
    for (const r of rows) {
      if (r[a] != null && isFinite(r[a])) top1 = Math.max(top1, r[a]);
      if (r[b] != null && isFinite(r[b])) top1 = Math.max(top1, r[b]);
    }
    top1 = top1 > 0 ? top1 * 1.05 : 1;
  }
  const last = rows.length ? rows[rows.length - 1][0] : 0;
  const first = rows.length ? rows[0][0] : 0;
  const span = Math.max(last - first, 1);
  // Axes and labels.
  ctx.strokeStyle = '#ccc';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, top + h);
  ctx.lineTo(left + w, top + h);
  ctx.stroke();
  ctx.fillStyle = '#777';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.fillText(fmt(top1), left - 4, top + 8);
  ctx.fillText('0', left - 4, top + h);
  ctx.textAlign = 'right';
  ctx.fillText(t('step {n}', { n: last.toLocaleString('en-US') }), left + w, top + h + 12);
  const line = (col, color) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    let pen = false;
    for (const r of rows) {
      const v = r[col];
      if (v == null || !isFinite(v)) {
        pen = false;
        continue;
      }
      const x = left + ((r[0] - first) / span) * w;
      const y = top + h - (Math.min(v, top1) / top1) * h;
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
  };
  line(a, trainColor);
  line(b, testColor);
}

function fmt(v) {
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.01 ? v.toFixed(2) : v.toPrecision(1);
}
