import { useEffect, useState } from "react";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { SkeletonBodyText, Text } from "@shopify/polaris";
import { useT } from "../i18n/react";

export type ActivityDay = { day: string; changes: number; skipped: number; errors: number };

/**
 * Synced changes, skips and errors per day (the sync log's counts). Drawn in the browser only:
 * polaris-viz measures its container, which the server cannot.
 */
export function ActivityChart({ days }: { days: ActivityDay[] }) {
  const t = useT();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (days.every((d) => d.changes + d.skipped + d.errors === 0)) {
    return <Text as="p" tone="subdued">{t("chart.none", { days: days.length })}</Text>;
  }
  if (!mounted) return <SkeletonBodyText lines={6} />;
  const series = (name: string, pick: (d: ActivityDay) => number, color: string) => ({
    name,
    color,
    data: days.map((d) => ({ key: t.day(`${d.day}T00:00:00Z`), value: pick(d) })),
  });
  return (
    <PolarisVizProvider>
      <div style={{ height: 240 }} role="img" aria-label={t("chart.summary", { days: days.length, changes: days.reduce((s, d) => s + d.changes, 0), skipped: days.reduce((s, d) => s + d.skipped, 0), errors: days.reduce((s, d) => s + d.errors, 0) })}>
        <BarChart
          theme="Light"
          type="stacked"
          isAnimated={false}
          data={[series(t("chart.changes"), (d) => d.changes, "#2c6ecb"), series(t("chart.skipped"), (d) => d.skipped, "#e1b878"), series(t("chart.errors"), (d) => d.errors, "#d82c0d")]}
        />
      </div>
    </PolarisVizProvider>
  );
}
