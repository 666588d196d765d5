import { useEffect, useState } from "react";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { SkeletonBodyText, Text } from "@shopify/polaris";

export type ActivityDay = { day: string; changes: number; skipped: number; errors: number };

const dayLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * Synced changes, skips and errors per day (the sync log's counts). Drawn in the browser only:
 * polaris-viz measures its container, which the server cannot.
 */
export function ActivityChart({ days }: { days: ActivityDay[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (days.every((d) => d.changes + d.skipped + d.errors === 0)) {
    return <Text as="p" tone="subdued">No sync activity in the last {days.length} days.</Text>;
  }
  if (!mounted) return <SkeletonBodyText lines={6} />;
  const series = (name: string, pick: (d: ActivityDay) => number, color: string) => ({
    name,
    color,
    data: days.map((d) => ({ key: dayLabel.format(new Date(`${d.day}T00:00:00Z`)), value: pick(d) })),
  });
  return (
    <PolarisVizProvider>
      <div style={{ height: 240 }} role="img" aria-label={`Sync activity over the last ${days.length} days: ${days.reduce((s, d) => s + d.changes, 0)} changes, ${days.reduce((s, d) => s + d.skipped, 0)} skipped, ${days.reduce((s, d) => s + d.errors, 0)} errors`}>
        <BarChart
          theme="Light"
          type="stacked"
          isAnimated={false}
          data={[series("Synced changes", (d) => d.changes, "#2c6ecb"), series("Skipped", (d) => d.skipped, "#e1b878"), series("Errors", (d) => d.errors, "#d82c0d")]}
        />
      </div>
    </PolarisVizProvider>
  );
}
