// Small native form controls the playground's panels are made of: labelled selects, sliders that
// show their value, and buttons.
import { h } from '../common/dom';

export function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

export function select(id: string, options: HTMLOptionElement[] | HTMLOptGroupElement[], onChange: (value: string) => void): HTMLSelectElement {
  const s = h('select', { attrs: { id } });
  s.append(...options);
  s.addEventListener('change', () => onChange(s.value));
  return s;
}

export function labelled(id: string, text: string, control: HTMLElement, extra?: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, text), control, extra);
}

export interface Slider {
  el: HTMLElement;
  input: HTMLInputElement;
  set(v: number): void;
}

/** A range input whose value shows beside it; reports on release (and on each key press). */
export function slider(id: string, min: number, max: number, step: number, format: (v: number) => string, onChange: (v: number) => void): Slider {
  const input = h('input', { attrs: { type: 'range', id, min: String(min), max: String(max), step: String(step) } });
  const out = h('output', { attrs: { for: id } });
  input.addEventListener('input', () => (out.value = format(Number(input.value))));
  input.addEventListener('change', () => onChange(Number(input.value)));
  return {
    el: h('div', { class: 'slider' }, input, out),
    input,
    set: (v: number) => {
      input.value = String(v);
      out.value = format(v);
    },
  };
}

export function button(id: string, text: string, title: string, onClick: () => void, cls = 'secondary'): HTMLButtonElement {
  return h('button', { class: cls, attrs: { type: 'button', id, title }, on: { click: onClick } }, text);
}

/** Selects `value`, adding it as a choice when the list lacks it (a preset or saved state may use any value). */
export function setChoice(s: HTMLSelectElement, value: number): void {
  const v = String(value);
  if (![...s.options].some((o) => o.value === v)) s.append(option(v, v));
  s.value = v;
}
