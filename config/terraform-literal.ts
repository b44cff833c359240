/**
 * Text embedded in a Terraform argument, escaped so that Terraform reads it literally. In JSON configuration as in
 * HCL, a string argument is a template: `${` starts an interpolation and `%{` a directive, and `$${` / `%%{` are
 * their literal forms (Terraform docs, "JSON Configuration Syntax", "Strings and Templates"). A shell script's
 * `${VAR:-default}` would otherwise fail the first plan. cdktf's own tokens (`${TfToken[...]}`, resolved to
 * references when the stack is written) are left for cdktf.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** What Terraform makes of a literal written by {@link terraformLiteral}: the text as it reaches the provider. */
export function terraformUnescape(text: string): string {
  return text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}
