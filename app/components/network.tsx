import { Form } from "@remix-run/react";
import { Badge, Box, Button, InlineStack, Text } from "@shopify/polaris";
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

/** The primary's connection key with a copy button (App Bridge toast on success). */
export function ConnectionKeyDisplay({ connectionKey }: { connectionKey: string }) {
  const t = useT();
  return (
    <InlineStack gap="200" blockAlign="center">
      <Box padding="200" background="bg-surface-secondary" borderRadius="200">
        <Text as="p" variant="bodyLg" fontWeight="semibold">
          <span data-testid="connection-key">{connectionKey}</span>
        </Text>
      </Box>
      <Button onClick={() => void navigator.clipboard?.writeText(connectionKey).then(() => window.shopify?.toast.show(t("key.copied")))}>
        {t("key.copy")}
      </Button>
    </InlineStack>
  );
}
