// i18n.js: the page's language. The page is in Japanese when the URL
// says ?lang=ja or, without a lang parameter, when the browser prefers
// Japanese; in English otherwise (?lang=en forces it).

import { ja } from './ja.js';

const asked = new URLSearchParams(location.search).get('lang');

// lang is 'ja' or 'en'.
export const lang = asked === 'ja' || asked === 'en' ? asked
  : (navigator.languages || [navigator.language]).some((l) => /^ja\b/i.test(l || '')) ? 'ja' : 'en';

// langParam is the lang parameter to keep in the page's URL, or ''.
export const langParam = asked === 'ja' || asked === 'en' ? asked : '';

// t returns the text s in the page's language, with each {name} replaced
// by vars[name]. s is the English text, which is also the key.
export function t(s, vars = {}) {
  const text = (lang === 'ja' && ja[s]) || s;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

// translatePage translates the static page: the text of every element
// marked data-t (its innerHTML, which the translation gives whole, markup
// included), every other text node and every title, aria-label and
// placeholder whose English text has a translation.
export function translatePage(root = document.body) {
  document.documentElement.lang = lang;
  if (lang !== 'ja') return;
  document.title = t(document.title);
  for (const el of root.querySelectorAll('[data-t]')) {
    const s = ja[el.dataset.t];
    if (s) el.innerHTML = s; // the page's own strings, never user data
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
  for (const n of nodes) {
    if (n.parentElement.closest('[data-t]')) continue;
    const s = n.nodeValue.trim();
    if (s && ja[s]) n.nodeValue = n.nodeValue.replace(s, ja[s]);
  }
  for (const attr of ['title', 'aria-label', 'placeholder']) {
    for (const el of root.querySelectorAll(`[${attr}]`)) {
      const s = ja[el.getAttribute(attr)];
      if (s) el.setAttribute(attr, s);
    }
  }
}
