import { useEffect, useRef, useState } from "react";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { SkeletonBodyText, Text } from "@shopify/polaris";
import { useT } from "../i18n/react";

export type ActivityDay = { day: string; changes: number; skipped: number; errors: number };

/** Narrower than this, polaris-viz wraps its axis labels and legend until the bars' height is negative. */
const MIN_CHART_WIDTH = 200;

/**
 * Synced changes, skips and errors per day (the sync log's counts). Drawn in the browser only,
 * once its container has a width: polaris-viz measures its container, which the server cannot,
 * and a first measure of a container not laid out yet (a busy page) drew bars of negative height.
 */
export function ActivityChart({ days }: { days: ActivityDay[] }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const empty = days.every((d) => d.changes + d.skipped + d.errors === 0);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, [empty]);
  if (empty) {
    return <Text as="p" tone="subdued">{t("chart.none", { days: days.length })}</Text>;
  }
  const series = (name: string, pick: (d: ActivityDay) => number, color: string) => ({
    name,
    color,
    data: days.map((d) => ({ key: t.day(`${d.day}T00:00:00Z`), value: pick(d) })),
  });
  return (
    <PolarisVizProvider>
      <div ref={container} style={{ height: 240 }} role="img" aria-label={t("chart.summary", { days: days.length, changes: days.reduce((s, d) => s + d.changes, 0), skipped: days.reduce((s, d) => s + d.skipped, 0), errors: days.reduce((s, d) => s + d.errors, 0) })}>
        {width < MIN_CHART_WIDTH ? <SkeletonBodyText lines={6} /> : <BarChart
          theme="Light"
          type="stacked"
          isAnimated={false}
          data={[series(t("chart.changes"), (d) => d.changes, "#2c6ecb"), series(t("chart.skipped"), (d) => d.skipped, "#e1b878"), series(t("chart.errors"), (d) => d.errors, "#d82c0d")]}
        />}
      </div>
    </PolarisVizProvider>
  );
}
