import { Form } from "@remix-run/react";
import { BlockStack, Button, Checkbox, ChoiceList, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";

export type SyncPreferences = { scope: "all" | "matching"; syncDetails: boolean; syncPrice: boolean; syncQuantity: boolean };

/** Seed 004's sync preferences; posts intent=save-preferences to the current route. */
export function SyncPreferencesForm({ initial, busy, skipUrl }: { initial: SyncPreferences; busy: boolean; skipUrl?: string }) {
  const [scope, setScope] = useState<SyncPreferences["scope"]>(initial.scope);
  const [syncDetails, setSyncDetails] = useState(initial.syncDetails);
  const [syncPrice, setSyncPrice] = useState(initial.syncPrice);
  const [syncQuantity, setSyncQuantity] = useState(initial.syncQuantity);
  return (
    <Form method="post">
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">What to sync from the primary store</Text>
        <input type="hidden" name="intent" value="save-preferences" />
        <input type="hidden" name="scope" value={scope} />
        <input type="hidden" name="syncDetails" value={String(syncDetails)} />
        <input type="hidden" name="syncPrice" value={String(syncPrice)} />
        <input type="hidden" name="syncQuantity" value={String(syncQuantity)} />
        <ChoiceList
          title="Products"
          selected={[scope]}
          onChange={(selected) => setScope(selected[0] as SyncPreferences["scope"])}
          choices={[
            { label: "All products", value: "all", helpText: "Every product of the primary store, creating the ones this store does not have." },
            { label: "Only products in both stores", value: "matching", helpText: "Products whose SKUs exist in both stores; nothing is created." },
          ]}
        />
        <Checkbox label="Product details (title, options, variants, images, status)" checked={syncDetails} onChange={setSyncDetails} />
        <Checkbox label="Prices" helpText="Only when both stores use the same currency, unless you set a price rule." checked={syncPrice} onChange={setSyncPrice} />
        <Checkbox label="Stock quantities" checked={syncQuantity} onChange={setSyncQuantity} />
        <InlineStack gap="200">
          <Button submit variant="primary" disabled={busy}>Save preferences</Button>
          {skipUrl ? <Button url={skipUrl} variant="plain">Skip for now</Button> : null}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
