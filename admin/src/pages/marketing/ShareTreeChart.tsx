// The drawn part of a share tree: ECharts' tree, left to right, one node per person.
import { useEffect, useMemo } from 'react';
import { use, type ComposeOption } from 'echarts/core';
import { TreeChart, type TreeSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import { shareNodeKindLabels, type ShareTreeNode } from '@qiao/shared';
import { EChart } from '../../components/EChart';
import { MORE_PREFIX, ROOT, visibleChildren, type TreeState } from './ShareTreeModel';

use([TreeChart, TooltipComponent]);

type Option = ComposeOption<TreeSeriesOption | TooltipComponentOption>;
type Item = NonNullable<TreeSeriesOption['data']>[number];

/** Id of the drawn campaign node above the roots. */
export const CAMPAIGN_NODE = '__campaign';

export const kindColors: Record<string, string> = { staff: '#1677ff', contact: '#52c41a', wechat: '#13c2c2', visitor: '#fa8c16' };
export const kindLabels: Record<string, string> = shareNodeKindLabels;
const OTHER_COLOR = '#8c8c8c';
/** Names of the people a search found. */
const HIT_COLOR = '#f5222d';

export function personName(node: Pick<ShareTreeNode, 'name' | 'kind'>): string {
  return node.name.trim() || (node.kind === 'visitor' ? '匿名访客' : (kindLabels[node.kind] ?? '未知'));
}

// Braces would start ECharts' rich-text markup inside a label.
function plain(text: string): string {
  return text.replace(/[{}|]/g, ' ');
}

function nodeItem(state: TreeState, node: ShareTreeNode, selected: string | null): Item {
  const match = state.matches.has(node.token);
  const open = state.expanded.has(node.token);
  const closedChildren = !open && node.childCount > 0 ? `  {more|▸ ${node.childCount}}` : '';
  const color = kindColors[node.kind] ?? OTHER_COLOR;
  const item: Item = {
    id: node.token,
    name: personName(node),
    value: node.subtree.views,
    symbolSize: match || node.token === selected ? 14 : 9,
    itemStyle: {
      color: node.childCount > 0 && !open ? color : '#fff',
      borderColor: match ? '#f5222d' : color,
      borderWidth: match || node.token === selected ? 3 : 1.5,
    },
    label: {
      formatter: `{${match ? 'hit' : 'name'}|${plain(personName(node))}}${closedChildren}\n{fig|阅 ${node.subtree.views} · 访 ${node.subtree.uniqueVisitors} · 意 ${node.subtree.intents} · 线 ${node.subtree.leads}}`,
    },
  };
  if (open) {
    item.children = childItems(state, node.token, selected);
    // An open node's label goes before it, clear of the lines to its children.
    if (item.children.length > 0) item.label = { ...item.label, position: 'left', align: 'right' };
  }
  return item;
}

function childItems(state: TreeState, parent: string, selected: string | null): Item[] {
  const { tokens, hidden } = visibleChildren(state, parent);
  const items: Item[] = [];
  for (const token of tokens) {
    const node = state.nodes.get(token);
    if (node) items.push(nodeItem(state, node, selected));
  }
  if (hidden > 0) {
    items.push({
      id: `${MORE_PREFIX}${parent}`,
      name: `另有 ${hidden} 人`,
      symbol: 'roundRect',
      symbolSize: [10, 10],
      itemStyle: { color: '#d9d9d9', borderColor: '#bfbfbf' },
      label: { formatter: `{more|另有 ${hidden} 人，点击展开}` },
    });
  }
  return items;
}

/** Leaves drawn: the chart's height grows with them so labels do not overlap. */
function countLeaves(item: Item): number {
  if (!item.children || item.children.length === 0) return 1;
  return item.children.reduce((sum, child) => sum + countLeaves(child), 0);
}

/** Levels drawn: the chart's width grows with them (it then scrolls sideways). */
function countLevels(item: Item): number {
  if (!item.children || item.children.length === 0) return 1;
  return 1 + Math.max(...item.children.map(countLevels));
}

/** Horizontal room per level: a two-line label fits between two levels. */
const LEVEL_WIDTH = 210;

export interface ShareTreeChartProps {
  state: TreeState;
  campaignName: string;
  selected: string | null;
  /** Bumped when the selected person should be scrolled into view (after a search). */
  focus: number;
  onNodeClick: (id: string) => void;
}

export function ShareTreeChart({ state, campaignName, selected, focus, onNodeClick }: ShareTreeChartProps) {
  // A found person may be far right or down in a large tree: bring their label into view once
  // drawn. Labels are SVG text; the found person's name is drawn in its own highlighted segment.
  const focusName = selected ? state.nodes.get(selected) : undefined;
  const wanted = focusName ? plain(personName(focusName)) : null;
  useEffect(() => {
    if (!focus || !wanted) return undefined;
    const timer = window.setTimeout(() => {
      const texts = document.querySelectorAll<SVGTextElement>('#share-tree-chart svg text');
      const label = [...texts].find((text) => text.textContent === wanted && text.getAttribute('fill')?.toLowerCase() === HIT_COLOR);
      label?.scrollIntoView({ block: 'center', inline: 'center', behavior: 'smooth' });
    }, 400);
    return () => window.clearTimeout(timer);
    // Only a new focus request scrolls; later redraws leave the view where the person put it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);

  const { option, height, width } = useMemo(() => {
    const root: Item = {
      id: CAMPAIGN_NODE,
      name: campaignName,
      symbol: 'diamond',
      symbolSize: 16,
      itemStyle: { color: '#722ed1' },
      label: { formatter: `{name|${plain(campaignName)}}` },
      children: state.expanded.has(ROOT) ? childItems(state, ROOT, selected) : [],
    };
    const leaves = countLeaves(root);
    const levels = countLevels(root);
    const built: Option = {
      tooltip: {
        trigger: 'item',
        formatter: (params) => {
          const one = Array.isArray(params) ? params[0] : params;
          const id = (one?.data as { id?: unknown } | undefined)?.id;
          const node = typeof id === 'string' ? state.nodes.get(id) : undefined;
          if (!node) return one?.name ?? '';
          return [
            `<b>${escapeHtml(personName(node))}</b>（${kindLabels[node.kind] ?? node.kind}，第 ${node.depth} 层）`,
            `本人：阅读 ${node.views}，转发 ${node.shares}，访客 ${node.uniqueVisitors}`,
            `含下级：阅读 ${node.subtree.views}，访客 ${node.subtree.uniqueVisitors}，意向 ${node.subtree.intents}，线索 ${node.subtree.leads}`,
          ].join('<br/>');
        },
      },
      series: [
        {
          type: 'tree',
          orient: 'LR',
          data: [root],
          top: 20,
          bottom: 20,
          left: 140,
          right: 260,
          roam: true,
          // Expansion is ours (lazy loading): the data holds exactly what is drawn.
          expandAndCollapse: false,
          initialTreeDepth: -1,
          animationDurationUpdate: 300,
          label: {
            position: 'right',
            verticalAlign: 'middle',
            align: 'left',
            distance: 6,
            rich: {
              name: { fontSize: 13, color: '#262626', fontWeight: 'bold' },
              hit: { fontSize: 13, color: HIT_COLOR, fontWeight: 'bold', backgroundColor: '#fff1f0', padding: [1, 3] },
              fig: { fontSize: 11, color: '#8c8c8c', lineHeight: 16 },
              more: { fontSize: 11, color: '#1677ff' },
            },
          },
          lineStyle: { color: '#d9d9d9', width: 1.2, curveness: 0.5 },
        },
      ],
    };
    return { option: built, height: Math.max(480, leaves * 38 + 40), width: levels > 4 ? levels * LEVEL_WIDTH + 300 : '100%' };
  }, [state, campaignName, selected]);

  return (
    <EChart
      id="share-tree-chart"
      option={option}
      height={height}
      width={width}
      notMerge
      onClick={(event) => {
        const id = (event.data as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') onNodeClick(id);
      }}
    />
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
