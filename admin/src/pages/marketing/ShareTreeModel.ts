// The part of a campaign's share tree the console has loaded, and what of it is drawn. A tree of
// 10,000 people is never drawn whole: only expanded nodes show children, at most a page of them
// at a time (plus any node on a searched path), the rest behind a "另有 N 人" node.
import type { ShareTreeNode } from '@qiao/shared';

/** The parent key of the roots (the people the campaign reached directly). */
export const ROOT = '';
/** Children drawn per node before the "另有 N 人" node. */
export const CHILD_PAGE = 20;
/** Id prefix of the synthetic "another N people" nodes. */
export const MORE_PREFIX = 'more:';

export interface TreeState {
  nodes: ReadonlyMap<string, ShareTreeNode>;
  /** Known children of each parent (ROOT for the roots), most reach first. */
  children: ReadonlyMap<string, readonly string[]>;
  /** Parents whose whole list of children has been loaded. */
  loaded: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  /** Children drawn per parent (CHILD_PAGE when unset). */
  limits: ReadonlyMap<string, number>;
  /** People found by the last search, and the ancestors leading to them (always drawn). */
  matches: ReadonlySet<string>;
  pinned: ReadonlySet<string>;
}

export function emptyTree(): TreeState {
  return {
    nodes: new Map(),
    children: new Map(),
    loaded: new Set(),
    expanded: new Set([ROOT]),
    limits: new Map(),
    matches: new Set(),
    pinned: new Set(),
  };
}

function byReach(nodes: ReadonlyMap<string, ShareTreeNode>) {
  return (a: string, b: string) => {
    const left = nodes.get(a);
    const right = nodes.get(b);
    return (right?.subtree.views ?? 0) - (left?.subtree.views ?? 0) || (left?.name ?? '').localeCompare(right?.name ?? '');
  };
}

/** Adds nodes to the tree; `complete` names the parent whose whole list of children they are. */
export function mergeNodes(state: TreeState, incoming: readonly ShareTreeNode[], complete?: string): TreeState {
  const nodes = new Map(state.nodes);
  const children = new Map(state.children);
  const touched = new Set<string>();
  for (const node of incoming) {
    nodes.set(node.token, node);
    const parent = node.parent ?? ROOT;
    const list = children.get(parent) ?? [];
    if (!list.includes(node.token)) children.set(parent, [...list, node.token]);
    touched.add(parent);
  }
  for (const parent of touched) children.set(parent, [...(children.get(parent) ?? [])].sort(byReach(nodes)));
  const loaded = new Set(state.loaded);
  if (complete !== undefined) loaded.add(complete);
  return { ...state, nodes, children, loaded };
}

/** How many children a parent has in all (known or not). */
export function childTotal(state: TreeState, parent: string): number {
  const known = state.children.get(parent)?.length ?? 0;
  if (parent === ROOT || state.loaded.has(parent)) return known;
  return Math.max(known, state.nodes.get(parent)?.childCount ?? 0);
}

export function toggleExpanded(state: TreeState, token: string): TreeState {
  const expanded = new Set(state.expanded);
  if (expanded.has(token)) expanded.delete(token);
  else expanded.add(token);
  return { ...state, expanded };
}

export function showMore(state: TreeState, parent: string): TreeState {
  const limits = new Map(state.limits);
  limits.set(parent, (limits.get(parent) ?? CHILD_PAGE) + CHILD_PAGE);
  return { ...state, limits };
}

/** The result of a search: the matches and their ancestors are drawn, expanded and marked. */
export function applySearch(state: TreeState, found: readonly ShareTreeNode[], isMatch: (node: ShareTreeNode) => boolean): TreeState {
  const merged = mergeNodes(state, found);
  const expanded = new Set(merged.expanded);
  const pinned = new Set<string>();
  const matches = new Set<string>();
  for (const node of found) {
    pinned.add(node.token);
    if (node.parent) expanded.add(node.parent);
  }
  for (const node of found) if (isMatch(node)) matches.add(node.token);
  // The server's answer is the matches and their ancestors: when no name contains the words
  // (e.g. a phone matched), the nodes that are nobody's parent in it are the matches.
  if (matches.size === 0) {
    const parents = new Set(found.map((node) => node.parent));
    for (const node of found) if (!parents.has(node.token)) matches.add(node.token);
  }
  return { ...merged, expanded, pinned, matches };
}

export function clearSearch(state: TreeState): TreeState {
  return { ...state, matches: new Set(), pinned: new Set() };
}

/** The children drawn under a parent, and how many are left behind "另有 N 人". */
export function visibleChildren(state: TreeState, parent: string): { tokens: string[]; hidden: number } {
  const known = state.children.get(parent) ?? [];
  const limit = state.limits.get(parent) ?? CHILD_PAGE;
  const tokens = known.slice(0, limit);
  for (const token of known.slice(limit)) if (state.pinned.has(token)) tokens.push(token);
  return { tokens, hidden: Math.max(0, childTotal(state, parent) - tokens.length) };
}

/** The path from a root down to a node (A → B → D). */
export function pathTo(state: TreeState, token: string): ShareTreeNode[] {
  const path: ShareTreeNode[] = [];
  const seen = new Set<string>();
  let current = state.nodes.get(token);
  while (current && !seen.has(current.token)) {
    seen.add(current.token);
    path.unshift(current);
    current = current.parent ? state.nodes.get(current.parent) : undefined;
  }
  return path;
}

/** Whether expanding a node needs its children from the server first. */
export function needsChildren(state: TreeState, token: string): boolean {
  if (state.loaded.has(token)) return false;
  const node = state.nodes.get(token);
  return Boolean(node && node.childCount > (state.children.get(token)?.length ?? 0));
}
