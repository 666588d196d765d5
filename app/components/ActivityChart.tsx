import { useEffect, useRef, useState } from "react";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { BlockStack, InlineStack, SkeletonBodyText, Text } from "@shopify/polaris";
import { useT } from "../i18n/react";

export type ActivityDay = { day: string; changes: number; skipped: number; errors: number };

/**
 * Below this width polaris-viz draws bars and arcs of negative size (measured: a 68 px chart
 * logs negative widths, a 118 px one does not); the figures are shown as text instead.
 */
const MIN_CHART_WIDTH = 200;

/**
 * Synced changes, skips and errors per day (the sync log's counts). Drawn in the browser only:
 * polaris-viz measures its container, which the server cannot. Its own legend is off: the chart's
 * height is its container's minus the legend's measured height, so a legend measured while
 * wrapping (a narrow or unsettled layout) left the bars a negative height. This legend sits
 * outside the chart, whose height is then fixed.
 */
export function ActivityChart({ days }: { days: ActivityDay[] }) {
  const t = useT();
  const container = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | null>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const totals = {
    changes: days.reduce((s, d) => s + d.changes, 0),
    skipped: days.reduce((s, d) => s + d.skipped, 0),
    errors: days.reduce((s, d) => s + d.errors, 0),
  };
  if (totals.changes + totals.skipped + totals.errors === 0) {
    return <Text as="p" tone="subdued">{t("chart.none", { days: days.length })}</Text>;
  }
  const summary = t("chart.summary", { days: days.length, ...totals });
  const kinds = [
    { name: t("chart.changes"), total: totals.changes, pick: (d: ActivityDay) => d.changes, color: "#2c6ecb" },
    { name: t("chart.skipped"), total: totals.skipped, pick: (d: ActivityDay) => d.skipped, color: "#e1b878" },
    { name: t("chart.errors"), total: totals.errors, pick: (d: ActivityDay) => d.errors, color: "#d82c0d" },
  ];
  let body;
  if (width === null) body = <SkeletonBodyText lines={6} />;
  else if (width < MIN_CHART_WIDTH) body = <Text as="p">{summary}</Text>;
  else {
    body = (
      <BlockStack gap="200">
        <div style={{ height: 240 }}>
          <BarChart
            theme="Light"
            type="stacked"
            isAnimated={false}
            showLegend={false}
            data={kinds.map((kind) => ({
              name: kind.name,
              color: kind.color,
              data: days.map((d) => ({ key: t.day(`${d.day}T00:00:00Z`), value: kind.pick(d) })),
            }))}
          />
        </div>
        <InlineStack gap="400" aria-hidden>
          {kinds.map((kind) => (
            <InlineStack key={kind.name} gap="100" blockAlign="center" wrap={false}>
              <span style={{ width: 12, height: 12, borderRadius: 2, background: kind.color, display: "inline-block" }} />
              <Text as="span" variant="bodySm">{kind.name} {t.number(kind.total)}</Text>
            </InlineStack>
          ))}
        </InlineStack>
      </BlockStack>
    );
  }
  return (
    <PolarisVizProvider>
      <div ref={container} role="img" aria-label={summary}>
        {body}
      </div>
    </PolarisVizProvider>
  );
}
