import { Form } from "@remix-run/react";
import { BlockStack, Button, Checkbox, ChoiceList, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

export type SyncPreferences = {
  scope: "all" | "matching";
  syncDetails: boolean;
  syncPrice: boolean;
  syncQuantity: boolean;
  publishNewProducts: boolean;
  onPrimaryDelete: "archive" | "delete";
  countUnpaidOrders: boolean;
  mirrorOrders: boolean;
  stockBuffer: number;
  stockAllocationPercent: number;
  priceExchangeRate: string | null;
  priceMarkupPercent: string | null;
  priceRounding: "none" | "whole" | "99" | "95";
};

/** Seed 004's sync preferences, with the price rule of seed 003; posts intent=save-preferences to the current route. */
export function SyncPreferencesForm({ initial, busy, skipUrl, errors = {} }: {
  initial: SyncPreferences;
  busy: boolean;
  skipUrl?: string;
  /** Server-side validation messages by field name. */
  errors?: Record<string, string>;
}) {
  const [scope, setScope] = useState<SyncPreferences["scope"]>(initial.scope);
  const [syncDetails, setSyncDetails] = useState(initial.syncDetails);
  const [syncPrice, setSyncPrice] = useState(initial.syncPrice);
  const [syncQuantity, setSyncQuantity] = useState(initial.syncQuantity);
  const [publishNewProducts, setPublishNewProducts] = useState(initial.publishNewProducts);
  const [onPrimaryDelete, setOnPrimaryDelete] = useState(initial.onPrimaryDelete);
  const [countUnpaidOrders, setCountUnpaidOrders] = useState(initial.countUnpaidOrders);
  const [mirrorOrders, setMirrorOrders] = useState(initial.mirrorOrders);
  const [buffer, setBuffer] = useState(String(initial.stockBuffer));
  const [allocation, setAllocation] = useState(String(initial.stockAllocationPercent));
  const [rate, setRate] = useState(initial.priceExchangeRate ?? "");
  const [markup, setMarkup] = useState(initial.priceMarkupPercent ?? "");
  const [rounding, setRounding] = useState(initial.priceRounding);
  return (
    <Form method="post">
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">What to sync from the primary store</Text>
        <input type="hidden" name="intent" value="save-preferences" />
        <input type="hidden" name="scope" value={scope} />
        <input type="hidden" name="syncDetails" value={String(syncDetails)} />
        <input type="hidden" name="syncPrice" value={String(syncPrice)} />
        <input type="hidden" name="syncQuantity" value={String(syncQuantity)} />
        <input type="hidden" name="publishNewProducts" value={String(publishNewProducts)} />
        <input type="hidden" name="onPrimaryDelete" value={onPrimaryDelete} />
        <input type="hidden" name="countUnpaidOrders" value={String(countUnpaidOrders)} />
        <input type="hidden" name="mirrorOrders" value={String(mirrorOrders)} />
        <input type="hidden" name="priceRounding" value={rounding} />
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
        <Checkbox label="Prices" helpText="Only when both stores use the same currency, unless you set an exchange rate below." checked={syncPrice} onChange={setSyncPrice} />
        <Checkbox label="Stock quantities" checked={syncQuantity} onChange={setSyncQuantity} />
        <InlineStack gap="300">
          <TextField
            label="Stock buffer"
            name="stockBuffer"
            type="number"
            min={0}
            value={buffer}
            onChange={setBuffer}
            autoComplete="off"
            disabled={!syncQuantity}
            error={errors.stockBuffer}
            helpText="Units of each item held back from this store, so the last ones are sold where they are."
          />
          <TextField
            label="Share of the primary's stock (%)"
            name="stockAllocationPercent"
            type="number"
            min={1}
            max={100}
            value={allocation}
            onChange={setAllocation}
            autoComplete="off"
            disabled={!syncQuantity}
            error={errors.stockAllocationPercent}
            helpText="100: this store shows all of the primary's stock."
          />
        </InlineStack>
        <Checkbox
          label="Count unpaid orders"
          helpText="Sales here take stock from the primary store when the order is placed, not only once it is paid."
          checked={countUnpaidOrders}
          onChange={setCountUnpaidOrders}
        />
        <Checkbox
          label="Record paid orders on the primary store"
          helpText="Each paid order placed here is added to the primary's orders as paid and fulfilled (its stock already moved), with the customer matched by e-mail. Fulfil it here."
          checked={mirrorOrders}
          onChange={setMirrorOrders}
        />
        <Checkbox label="Publish new products at once" helpText="Otherwise products Tandem creates arrive as drafts." checked={publishNewProducts} onChange={setPublishNewProducts} />
        <Select
          label="When the primary deletes a product"
          options={[{ label: "Archive it here", value: "archive" }, { label: "Delete it here", value: "delete" }]}
          value={onPrimaryDelete}
          onChange={(value) => setOnPrimaryDelete(value as SyncPreferences["onPrimaryDelete"])}
        />
        <Text as="h3" variant="headingSm">Price rule</Text>
        <InlineStack gap="300">
          <TextField label="Exchange rate" name="priceExchangeRate" value={rate} onChange={setRate} autoComplete="off" error={errors.priceExchangeRate} helpText="This store's currency per unit of the primary's. Empty: same currency." />
          <TextField label="Markup (%)" name="priceMarkupPercent" value={markup} onChange={setMarkup} autoComplete="off" error={errors.priceMarkupPercent} />
          <Select
            label="Rounding"
            options={[{ label: "None", value: "none" }, { label: "Whole amount", value: "whole" }, { label: "Ending in .99", value: "99" }, { label: "Ending in .95", value: "95" }]}
            value={rounding}
            onChange={(value) => setRounding(value as SyncPreferences["priceRounding"])}
          />
        </InlineStack>
        <InlineStack gap="200">
          <Button submit variant="primary" disabled={busy}>Save preferences</Button>
          {skipUrl ? <Button url={skipUrl} variant="plain">Skip for now</Button> : null}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}
