import { useState } from "react";
import { Box, Button, TextField } from "@shopify/polaris";
import { useT } from "../i18n/react";

/**
 * A SKU search box: Enter or Search runs it with the trimmed SKU, the clear button runs it empty.
 * Its width is fixed: sized by its content, the field shrank when it lost focus (the clear button
 * goes) and moved the Search button from under a click.
 */
export function SkuSearch({ initial, onSearch, error }: { initial: string; onSearch: (sku: string) => void; error?: string }) {
  const t = useT();
  const [sku, setSku] = useState(initial);
  return (
    <Box width="320px">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSearch(sku.trim());
        }}
      >
        <TextField
          label={t("common.sku")}
          value={sku}
          onChange={setSku}
          autoComplete="off"
          error={error}
          clearButton
          onClearButtonClick={() => {
            setSku("");
            onSearch("");
          }}
          connectedRight={<Button submit>{t("common.search")}</Button>}
        />
      </form>
    </Box>
  );
}
