import { BlockStack, Button, Checkbox, ChoiceList, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { Text as Message } from "../i18n";
import { useT } from "../i18n/react";
import { SaveBarForm } from "./SaveBarForm";
import { FIELD_GROUPS, type FieldChoice, type FieldRules, PRODUCT_FIELDS, PRODUCT_FIELD_NAMES } from "../sync/fields";

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
  fieldRules: FieldRules;
};

type PreferencesFormProps = {
  initial: SyncPreferences;
  busy: boolean;
  skipUrl?: string;
  /** Server-side validation messages by field name. */
  errors?: Record<string, Message>;
};

/**
 * Seed 004's sync preferences, with the price rule of seed 003; posts intent=save-preferences to
 * the current route. With `saveBar`, unsaved changes show App Bridge's save bar (SaveBarForm).
 */
export function SyncPreferencesForm({ saveBar = false, ...props }: PreferencesFormProps & { saveBar?: boolean }) {
  return (
    <SaveBarForm saveBar={saveBar}>
      <PreferenceFields {...props} />
    </SaveBarForm>
  );
}

function PreferenceFields({ initial, busy, skipUrl, errors = {} }: PreferencesFormProps) {
  const t = useT();
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
  const [fieldRules, setFieldRules] = useState(initial.fieldRules);
  return (
    <BlockStack gap="300">
      <Text as="h2" variant="headingMd">{t("prefs.title")}</Text>
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
      <input type="hidden" name="fieldRules" value={JSON.stringify(fieldRules)} />
      <ChoiceList
        title={t("prefs.products")}
        selected={[scope]}
        onChange={(selected) => setScope(selected[0] as SyncPreferences["scope"])}
        choices={[
          { label: t("prefs.all"), value: "all", helpText: t("prefs.allHelp") },
          { label: t("prefs.matching"), value: "matching", helpText: t("prefs.matchingHelp") },
        ]}
      />
      <Checkbox label={t("prefs.details")} checked={syncDetails} onChange={setSyncDetails} />
      <Checkbox label={t("prefs.prices")} helpText={t("prefs.pricesHelp")} checked={syncPrice} onChange={setSyncPrice} />
      <Checkbox label={t("prefs.quantities")} helpText={t("prefs.quantitiesHelp")} checked={syncQuantity} onChange={setSyncQuantity} />
      <InlineStack gap="300">
        <TextField
          label={t("prefs.buffer")}
          name="stockBuffer"
          type="number"
          min={0}
          value={buffer}
          onChange={setBuffer}
          autoComplete="off"
          disabled={!syncQuantity}
          error={errors.stockBuffer && t.text(errors.stockBuffer)}
          helpText={t("prefs.bufferHelp")}
        />
        <TextField
          label={t("prefs.share")}
          name="stockAllocationPercent"
          type="number"
          min={1}
          max={100}
          value={allocation}
          onChange={setAllocation}
          autoComplete="off"
          disabled={!syncQuantity}
          error={errors.stockAllocationPercent && t.text(errors.stockAllocationPercent)}
          helpText={t("prefs.shareHelp")}
        />
      </InlineStack>
      <Checkbox
        label={t("prefs.unpaid")}
        helpText={t("prefs.unpaidHelp")}
        checked={countUnpaidOrders}
        onChange={setCountUnpaidOrders}
      />
      <Checkbox
        label={t("prefs.mirror")}
        helpText={t("prefs.mirrorHelp")}
        checked={mirrorOrders}
        onChange={setMirrorOrders}
      />
      <Checkbox label={t("prefs.publish")} helpText={t("prefs.publishHelp")} checked={publishNewProducts} onChange={setPublishNewProducts} />
      <Select
        label={t("prefs.onDelete")}
        options={[{ label: t("prefs.archive"), value: "archive" }, { label: t("prefs.delete"), value: "delete" }]}
        value={onPrimaryDelete}
        onChange={(value) => setOnPrimaryDelete(value as SyncPreferences["onPrimaryDelete"])}
      />
      <Text as="h3" variant="headingSm">{t("prefs.fields")}</Text>
      <Text as="p" tone="subdued">{t("prefs.fieldsHelp")}</Text>
      {FIELD_GROUPS.map((group) => (
        <BlockStack key={group} gap="200">
          <Text as="h4" variant="headingXs">{t(`prefs.fieldGroup.${group}`)}</Text>
          <InlineStack gap="300">
            {PRODUCT_FIELD_NAMES.filter((name) => PRODUCT_FIELDS[name].group === group).map((name) => (
              <div key={name} style={{ minWidth: "13rem" }}>
                <Select
                  label={t(`prefs.field.${name}`)}
                  options={PRODUCT_FIELDS[name].choices.map((choice) => ({ label: t(`prefs.fieldChoice.${choice}`), value: choice }))}
                  value={fieldRules[name]}
                  disabled={name === "compareAtPrice" ? !syncPrice : !syncDetails}
                  onChange={(value) => setFieldRules((rules) => ({ ...rules, [name]: value as FieldChoice }))}
                />
              </div>
            ))}
          </InlineStack>
        </BlockStack>
      ))}
      <Text as="h3" variant="headingSm">{t("prefs.priceRule")}</Text>
      <InlineStack gap="300">
        <TextField label={t("prefs.rate")} name="priceExchangeRate" value={rate} onChange={setRate} autoComplete="off" error={errors.priceExchangeRate && t.text(errors.priceExchangeRate)} helpText={t("prefs.rateHelp")} />
        <TextField label={t("prefs.markup")} name="priceMarkupPercent" value={markup} onChange={setMarkup} autoComplete="off" error={errors.priceMarkupPercent && t.text(errors.priceMarkupPercent)} />
        <Select
          label={t("prefs.rounding")}
          options={[{ label: t("prefs.roundNone"), value: "none" }, { label: t("prefs.roundWhole"), value: "whole" }, { label: t("prefs.round99"), value: "99" }, { label: t("prefs.round95"), value: "95" }]}
          value={rounding}
          onChange={(value) => setRounding(value as SyncPreferences["priceRounding"])}
        />
      </InlineStack>
      <InlineStack gap="200">
        <Button submit variant="primary" disabled={busy}>{t("prefs.save")}</Button>
        {skipUrl ? <Button url={skipUrl} variant="plain">{t("common.skipForNow")}</Button> : null}
      </InlineStack>
    </BlockStack>
  );
}
