import { TerraformStack, type App } from "cdktf";
// Not exported from cdktf's index; "cdktf" is loaded first (above), which resolves its circular imports.
import { ValidateProviderPresence } from "cdktf/lib/validations/validate-provider-presence";

/**
 * cdktf's check that every stack configures the providers its resources use, on its own: main.ts synthesizes with
 * `skipValidation`, which also drops cdktf's `terraform version` runs (stacks/backend.ts, TERRAFORM_REQUIRED_VERSION).
 */
export function providerProblems(app: App): string[] {
  return app.node
    .findAll()
    .filter(TerraformStack.isStack)
    .flatMap((stack) => new ValidateProviderPresence(stack).validate().map((m) => `${stack.node.id}: ${m}`));
}
