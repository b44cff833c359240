/**
 * Identity templating of policy paths as Vault applies it when a token with an entity uses a templated policy
 * (vault/policy.go parseACLPolicyWithTemplating with performTemplating, sdk/helper/identitytpl/templating.go
 * `PopulateString` in ACL mode, written for this project after that file): each `{{ ... }}` is replaced by the
 * entity's value; a missing value, a list value (groups.names), a result holding `*` or `+`, or no entity at all
 * is an error, and Vault then leaves the path out of the token's ACL. A templated path is never matched literally.
 */

export interface EntityAlias {
  readonly mountAccessor: string;
  readonly id?: string;
  readonly name?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly customMetadata?: Readonly<Record<string, string>>;
}

export interface EntityGroup {
  readonly id: string;
  readonly name?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The identity a token carries, as far as templating reads it. */
export interface Entity {
  readonly id?: string;
  readonly name?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly aliases?: readonly EntityAlias[];
  readonly groups?: readonly EntityGroup[];
}

const own = (m: Readonly<Record<string, string>> | undefined, k: string) => (m !== undefined && Object.hasOwn(m, k) ? m[k] : undefined);

/** aclTemplateHandler: a non-empty string, or a value from a map by key; anything else is not found. */
function value(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

function aliasValue(selector: string, alias: EntityAlias): string | undefined {
  if (selector === "id") return value(alias.id);
  if (selector === "name") return value(alias.name);
  if (selector.startsWith("metadata.")) return value(own(alias.metadata, selector.slice("metadata.".length)));
  if (selector.startsWith("custom_metadata.")) return value(own(alias.customMetadata, selector.slice("custom_metadata.".length)));
  return undefined;
}

function entityValue(selector: string, entity: Entity): string | undefined {
  if (selector === "id") return value(entity.id);
  if (selector === "name") return value(entity.name);
  if (selector.startsWith("metadata.")) return value(own(entity.metadata, selector.slice("metadata.".length)));
  if (selector.startsWith("aliases.")) {
    const rest = selector.slice("aliases.".length);
    const dot = rest.indexOf(".");
    if (dot < 0) return undefined;
    const alias = entity.aliases?.find((a) => a.mountAccessor === rest.slice(0, dot));
    return alias && aliasValue(rest.slice(dot + 1), alias);
  }
  // groups.names / groups.ids (lists), a bare `metadata`: not renderable in ACL mode.
  return undefined;
}

function groupValue(selector: string, groups: readonly EntityGroup[]): string | undefined {
  const [kind, rest] = [selector.slice(0, selector.indexOf(".")), selector.slice(selector.indexOf(".") + 1)];
  if ((kind !== "ids" && kind !== "names") || !selector.includes(".")) return undefined;
  const dot = rest.indexOf(".");
  if (dot < 0) return undefined;
  const key = rest.slice(0, dot);
  const group = groups.find((g) => (kind === "ids" ? g.id : g.name) === key);
  if (!group) return undefined;
  const field = rest.slice(dot + 1);
  if (field === "id") return group.id;
  if (field === "name") return value(group.name);
  if (field.startsWith("metadata.")) return own(group.metadata, field.slice("metadata.".length));
  return undefined;
}

/** The path with its templates filled in for `entity`, or undefined where Vault leaves the path out. */
export function populatePath(template: string, entity: Entity | undefined): string | undefined {
  const pieces = template.split("{{");
  let out = pieces[0];
  for (const piece of pieces.slice(1)) {
    const [expr, tail] = piece.split("}}");
    const input = expr.trim();
    let v: string | undefined;
    if (input.startsWith("identity.entity.")) v = entity && entityValue(input.slice("identity.entity.".length), entity);
    else if (input.startsWith("identity.groups.")) v = entity?.groups?.length ? groupValue(input.slice("identity.groups.".length), entity.groups) : undefined;
    if (v === undefined || /[*+]/.test(v)) return undefined;
    out += v + tail;
  }
  return out;
}
