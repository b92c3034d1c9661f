// A small ECharts wrapper: one instance per element, the option applied on change, resized with
// its box, disposed on unmount. Pages register the charts and components they draw with
// `use` from echarts/core, so only those parts reach the bundle.
import { useEffect, useRef, type CSSProperties } from 'react';
import { init, use, type ECElementEvent, type EChartsCoreOption, type EChartsType } from 'echarts/core';
// SVG: labels stay text in the page (readable by tests and screen readers); the share tree never
// draws more than a few hundred nodes at once, which SVG handles well.
import { SVGRenderer } from 'echarts/renderers';

use([SVGRenderer]);

export interface EChartProps {
  option: EChartsCoreOption;
  /** CSS height of the chart (ECharts needs a sized box). */
  height: number | string;
  /** CSS width (default the container's); a wider chart scrolls sideways in its container. */
  width?: number | string;
  id?: string;
  className?: string;
  style?: CSSProperties;
  /** Replace the whole option instead of merging (needed when series data shrink, e.g. a tree collapsing). */
  notMerge?: boolean;
  onClick?: (event: ECElementEvent) => void;
}

export function EChart({ option, height, width = '100%', id, className, style, notMerge = false, onClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const instance = init(element, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = instance;
    instance.on('click', (event) => clickRef.current?.(event as ECElementEvent));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge });
  }, [option, notMerge]);

  // Size changes (a tree growing) need a resize the observer may report a frame late.
  useEffect(() => {
    chart.current?.resize();
  }, [height, width]);

  // Always the same two elements: swapping them would leave the instance on a detached node.
  return (
    <div style={{ overflowX: 'auto', width: '100%' }}>
      <div ref={box} id={id} className={className} style={{ width, height, ...style }} />
    </div>
  );
}
