import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

// Shopify opens the app at the app URL with ?shop=…&host=…; everything lives under /app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return null;
};

export default function Landing() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Tandem</h1>
      <p>Keeps a network of Shopify stores in sync: one primary catalogue, many dependent stores, one stock.</p>
      <p>Open Tandem from the Apps section of your Shopify admin.</p>
    </main>
  );
}
