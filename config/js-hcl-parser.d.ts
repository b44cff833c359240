/** js-hcl-parser ships no types: `parse` returns hcl.Unmarshal's value as JSON text, or "unable to parse JSON: <error>". */
declare module "js-hcl-parser" {
  export function parse(text: string): string;
}
