import { Form } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useRef, useState } from "react";
import { useT } from "../i18n/react";

export type ConnectionStatus = "connected" | "paused" | "needs_attention" | "disconnected";

const STATUS_TONE = { connected: "success", paused: "attention", needs_attention: "critical", disconnected: undefined } as const;

export function ConnectionStatusBadge({ status }: { status: ConnectionStatus }) {
  const t = useT();
  return <Badge tone={STATUS_TONE[status]}>{t(`status.${status}`)}</Badge>;
}

/** A one-button form posting `intent` (and hidden fields) to the current route's action. */
export function IntentButton({ intent, fields = {}, label, busy, tone, variant }: {
  intent: string;
  fields?: Record<string, string>;
  label: string;
  busy: boolean;
  tone?: "critical";
  variant?: "primary";
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button submit disabled={busy} tone={tone} variant={variant}>{label}</Button>
    </Form>
  );
}

/** Chromium's view of the frame's permissions policy (not in TypeScript's DOM types). */
type FeaturePolicy = { allowsFeature(feature: string): boolean };

/**
 * The primary's connection key with a copy button: an App Bridge toast when copied; where the
 * admin's frame blocks the clipboard, the key is selected and the merchant told how to copy it.
 */
export function ConnectionKeyDisplay({ connectionKey }: { connectionKey: string }) {
  const t = useT();
  const keyRef = useRef<HTMLSpanElement>(null);
  const [blocked, setBlocked] = useState(false);
  const copy = async () => {
    try {
      // Where the frame's permissions policy forbids it, not even asked (the browser would log an error).
      const policy = (document as { permissionsPolicy?: FeaturePolicy; featurePolicy?: FeaturePolicy }).permissionsPolicy
        ?? (document as { featurePolicy?: FeaturePolicy }).featurePolicy;
      if (!navigator.clipboard || policy?.allowsFeature("clipboard-write") === false) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(connectionKey);
      setBlocked(false);
      window.shopify?.toast.show(t("key.copied"));
    } catch {
      const selection = window.getSelection();
      if (keyRef.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(keyRef.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setBlocked(true);
    }
  };
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Box padding="200" background="bg-surface-secondary" borderRadius="200">
          <Text as="p" variant="bodyLg" fontWeight="semibold">
            <span data-testid="connection-key" ref={keyRef}>{connectionKey}</span>
          </Text>
        </Box>
        <Button onClick={() => void copy()}>{t("key.copy")}</Button>
      </InlineStack>
      {blocked && <Text as="p" tone="caution">{t("key.copyBlocked")}</Text>}
    </BlockStack>
  );
}
