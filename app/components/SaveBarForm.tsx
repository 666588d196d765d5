import { Form } from "@remix-run/react";
import { Fragment, type ReactNode, useState } from "react";

/**
 * A settings form behind App Bridge's save bar (`data-save-bar`, shopify.dev "Save bar"): while
 * its values differ from the saved ones the admin shows the bar; its Save submits the form, its
 * Discard resets it, and the fields, whose state lives below, start again from their saved values.
 * Without `saveBar` (onboarding's one-page steps) it is a plain form.
 */
export function SaveBarForm({ saveBar = true, children }: { saveBar?: boolean; children: ReactNode }) {
  const [generation, setGeneration] = useState(0);
  return (
    <Form method="post" data-save-bar={saveBar ? "" : undefined} onReset={() => setGeneration((count) => count + 1)}>
      <Fragment key={generation}>{children}</Fragment>
    </Form>
  );
}
