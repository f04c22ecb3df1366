/**
 * Pan/zoom SVG of a laid-out relation graph. Drag to pan, wheel or buttons to zoom, "fit" to see it all;
 * nodes are keyboard-focusable links. Hovering or focusing a node highlights its edges.
 */
import { createEffect, createMemo, createSignal, For, type JSX, on, onCleanup, onMount, Show } from "solid-js";
import type { GraphLayout, PositionedNode } from "../lib/graph-layout";
import { truncateLabel } from "../lib/graph-model";
import { kindClass, kindLabel } from "../lib/kinds";
import { relationLabel } from "../lib/relations";
import { Icon } from "./Icon";

const MIN_SCALE = 0.15;
const MAX_SCALE = 2.5;
/** Below this, a fitted graph is too small to read: start zoomed in on the root instead. */
const READABLE_SCALE = 0.5;

function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return "";
  if (points.length < 3) return `M${points.map((p) => `${p.x},${p.y}`).join("L")}`;
  // Smooth through dagre's control points with quadratic segments between midpoints.
  let d = `M${points[0]!.x},${points[0]!.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const n = points[i + 1]!;
    const mx = (p.x + n.x) / 2;
    const my = (p.y + n.y) / 2;
    d += `Q${p.x},${p.y} ${i === points.length - 2 ? `${n.x},${n.y}` : `${mx},${my}`}`;
  }
  return d;
}

export function GraphCanvas(props: {
  layout: GraphLayout;
  label: string;
  height: string;
  onActivate: (node: PositionedNode) => void;
}): JSX.Element {
  let svg!: SVGSVGElement;
  const [view, setView] = createSignal({ x: 0, y: 0, k: 1 });
  const [hover, setHover] = createSignal<string | null>(null);
  const [size, setSize] = createSignal({ w: 800, h: 500 });
  const markerId = `arrow-${Math.random().toString(36).slice(2, 8)}`;

  const fit = (preferReadable: boolean) => {
    const { w, h } = size();
    const L = props.layout;
    if (!L.width || !L.height) return;
    const k = Math.max(MIN_SCALE, Math.min(1.1, (w - 32) / L.width, (h - 32) / L.height));
    if (preferReadable && k < READABLE_SCALE) {
      const root = L.nodes.find((n) => n.root) ?? L.nodes[0];
      const kk = READABLE_SCALE;
      if (root) {
        setView({ k: kk, x: w / 2 - root.x * kk, y: h / 2 - root.y * kk });
        return;
      }
    }
    setView({ k, x: (w - L.width * k) / 2, y: (h - L.height * k) / 2 });
  };

  onMount(() => {
    const ro = new ResizeObserver(() => {
      const r = svg.getBoundingClientRect();
      setSize({ w: r.width, h: r.height });
    });
    ro.observe(svg);
    const r = svg.getBoundingClientRect();
    setSize({ w: r.width, h: r.height });
    fit(true);
    onCleanup(() => ro.disconnect());
  });
  createEffect(on(() => props.layout, () => fit(true), { defer: true }));

  const zoomAt = (factor: number, cx: number, cy: number) => {
    setView((v) => {
      const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.k * factor));
      const f = k / v.k;
      return { k, x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f };
    });
  };

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  };

  let drag: { id: number; x: number; y: number; vx: number; vy: number; moved: boolean } | null = null;
  // A drag that ends over a node must not also open it.
  let suppressClick = false;
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    suppressClick = false;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, vx: view().x, vy: view().y, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) > 4) {
      d.moved = true;
      svg.setPointerCapture(e.pointerId);
    }
    if (d.moved) setView((v) => ({ ...v, x: d.vx + dx, y: d.vy + dy }));
  };
  const endDrag = (e: PointerEvent) => {
    if (!drag || drag.id !== e.pointerId) return;
    if (drag.moved) {
      suppressClick = true;
      if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
    }
    drag = null;
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const { w, h } = size();
    if (e.key === "+" || e.key === "=") zoomAt(1.2, w / 2, h / 2);
    else if (e.key === "-") zoomAt(1 / 1.2, w / 2, h / 2);
    else if (e.key === "0") fit(false);
    else return;
    e.preventDefault();
  };

  const neighbours = createMemo(() => {
    const h = hover();
    if (!h) return null;
    const set = new Set<string>([h]);
    for (const e of props.layout.edges) {
      if (e.source === h) set.add(e.target);
      if (e.target === h) set.add(e.source);
    }
    return set;
  });

  // In busy graphs, edges that do not touch the root recede so the root's own relations stand out.
  const rootId = createMemo(() => props.layout.nodes.find((n) => n.root)?.id);
  const busy = () => props.layout.edges.length > 24;

  const kinds = createMemo(() => [...new Set(props.layout.nodes.map((n) => n.kind.toLowerCase()))].sort());
  const showEdgeLabels = () => props.layout.edges.length <= 40 && view().k >= 0.7;

  return (
    <div class="graph-canvas" style={{ height: props.height }}>
      <svg
        ref={svg}
        class="graph-svg"
        role="group"
        aria-label={props.label}
        tabindex="0"
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onKeyDown={onKeyDown}
        data-testid="relations-graph"
      >
        <defs>
          <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0L10,5L0,10z" class="graph-arrow" />
          </marker>
        </defs>
        <g transform={`translate(${view().x},${view().y}) scale(${view().k})`}>
          <g class="graph-edges">
            <For each={props.layout.edges}>
              {(e) => {
                const mid = e.points[Math.floor(e.points.length / 2)];
                return (
                  <g class="graph-edge" classList={{ "is-dim": neighbours() !== null && !(neighbours()!.has(e.source) && neighbours()!.has(e.target) && (e.source === hover() || e.target === hover())), "is-hot": e.source === hover() || e.target === hover(), "is-secondary": busy() && e.source !== rootId() && e.target !== rootId() }}>
                    <path d={pathOf(e.points)} marker-end={`url(#${markerId})`}>
                      <title>{relationLabel(e.type)}</title>
                    </path>
                    <Show when={showEdgeLabels() && mid}>
                      <text x={mid!.x} y={mid!.y - 4} class="graph-edge-label" text-anchor="middle">
                        {relationLabel(e.type)}
                      </text>
                    </Show>
                  </g>
                );
              }}
            </For>
          </g>
          <g class="graph-nodes">
            <For each={props.layout.nodes}>
              {(n) => (
                <g
                  class={`graph-node kind-${kindClass(n.kind)}`}
                  classList={{ "is-root": n.root, "is-missing": n.missing, "is-dim": neighbours() !== null && !neighbours()!.has(n.id) }}
                  transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}
                  tabindex="0"
                  role="link"
                  data-ref={n.id}
                  onMouseEnter={() => setHover(n.id)}
                  onMouseLeave={() => setHover(null)}
                  onFocus={() => setHover(n.id)}
                  onBlur={() => setHover(null)}
                  onClick={() => {
                    if (suppressClick) {
                      suppressClick = false;
                      return;
                    }
                    props.onActivate(n);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" || e.key === " ") {
                      e.preventDefault();
                      e.stopPropagation();
                      props.onActivate(n);
                    }
                  }}
                >
                  {/* The link's accessible name is its visible text: title, then kind and ref. */}
                  <rect class="graph-node-box" width={n.width} height={n.height} rx="9" />
                  <rect class="graph-node-strip" width="5" height={n.height} rx="2" />
                  <text x="16" y="20" class="graph-node-label">
                    {truncateLabel(n.label)}
                  </text>
                  <text x="16" y="36" class="graph-node-sub">
                    {truncateLabel(n.missing ? `not in catalog · ${n.sublabel}` : n.sublabel, 32)}
                  </text>
                </g>
              )}
            </For>
          </g>
        </g>
      </svg>
      <div class="graph-controls" role="group" aria-label="Zoom">
        <button type="button" class="icon-button" aria-label="Zoom in" onClick={() => zoomAt(1.25, size().w / 2, size().h / 2)}>
          <Icon name="plus" size={16} />
        </button>
        <button type="button" class="icon-button" aria-label="Zoom out" onClick={() => zoomAt(0.8, size().w / 2, size().h / 2)}>
          <Icon name="minus" size={16} />
        </button>
        <button type="button" class="icon-button" aria-label="Fit graph to view" onClick={() => fit(false)}>
          <Icon name="fit" size={16} />
        </button>
      </div>
      <ul class="graph-legend" aria-label="Kinds">
        <For each={kinds()}>
          {(k) => (
            <li>
              <span class={`legend-dot kind-${kindClass(k)}`} aria-hidden="true" /> {kindLabel(k)}
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}
