/** Tiny element builder: h('button', {onclick}, 'text'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, unknown>> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) (el as any)[k] = v;
    else if (k === 'className' || k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected')
      (el as any)[k] = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function mount(...nodes: Node[]) {
  const app = document.getElementById('app')!;
  app.replaceChildren(...nodes);
}
