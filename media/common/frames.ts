// Observers fire many times a frame while the panel is dragged or the theme changes; the work they
// start (a chart's new size, new colours) is worth doing once per frame at most.

/** `fn`, run at the next animation frame however often it is asked for before then. */
export function oncePerFrame(fn: () => void): { request(): void; cancel(): void } {
  let queued = 0;
  return {
    request() {
      if (queued) return;
      queued = requestAnimationFrame(() => {
        queued = 0;
        fn();
      });
    },
    cancel() {
      if (queued) cancelAnimationFrame(queued);
      queued = 0;
    },
  };
}

/** Calls back (once per frame at most) when VS Code changes theme. Returns a stop function. */
export function watchTheme(onChange: () => void): () => void {
  const frame = oncePerFrame(onChange);
  const obs = new MutationObserver(() => frame.request());
  obs.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  obs.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  return () => {
    obs.disconnect();
    frame.cancel();
  };
}

/** Calls back (once per frame at most) while `el` changes size. Returns a stop function. */
export function watchSize(el: Element, onResize: () => void): () => void {
  const frame = oncePerFrame(onResize);
  const obs = new ResizeObserver(() => frame.request());
  obs.observe(el);
  return () => {
    obs.disconnect();
    frame.cancel();
  };
}
