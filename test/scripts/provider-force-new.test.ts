/** The extractor that reads ForceNew attributes from a provider's Go source (scripts/provider-force-new.ts). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractForceNew } from "../../scripts/provider-force-new";

const RESOURCE = `package p
func thingResource() *schema.Resource {
	return &schema.Resource{
		CustomizeDiff: customdiff.All(customdiff.ForceNewIfChange("exportable", f)),
		Schema: map[string]*schema.Schema{
			consts.FieldBackend: {
				Type:     schema.TypeString,
				ForceNew: true,
			},
			"description": {
				Type:     schema.TypeString, // ForceNew: true only in a comment
				Optional: true,
			},
			"block": {
				Type: schema.TypeList,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"inner": {Type: schema.TypeString, ForceNew: true},
						"other": {Type: schema.TypeString},
					},
				},
			},
			"metadata": metadataSchema("thing"),
		},
	}
}
`;
const HELPERS = `package p
func metadataSchema(kind string) *schema.Schema {
	fields := metadataFields(kind)
	fields["generate_name"] = &schema.Schema{Type: schema.TypeString, ForceNew: true}
	return &schema.Schema{Type: schema.TypeList, Elem: &schema.Resource{Schema: fields}}
}
func metadataFields(kind string) map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"name": {Type: schema.TypeString, ForceNew: true},
		"labels": {Type: schema.TypeMap},
	}
}
func namespacedMetadataSchema(kind string) *schema.Schema {
	fields := metadataFields(kind)
	fields["namespace"] = &schema.Schema{Type: schema.TypeString, ForceNew: true}
	return &schema.Schema{Type: schema.TypeList, Elem: &schema.Resource{Schema: fields}}
}
`;

describe("provider-force-new extractor", () => {
  const root = mkdtempSync(join(tmpdir(), "vault-platform-force-new-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("reads ForceNew entries, nested blocks, consts keys, CustomizeDiff replacements and the helpers a resource reaches", () => {
    mkdirSync(join(root, "consts"));
    writeFileSync(join(root, "consts", "consts.go"), 'package consts\nconst (\n\tFieldBackend = "backend"\n)\n');
    writeFileSync(join(root, "resource_thing.go"), RESOURCE);
    writeFileSync(join(root, "schema_metadata.go"), HELPERS);
    const found = extractForceNew({
      provider: "example",
      version: "1.0.0",
      commit: "0".repeat(40),
      root,
      files: ["resource_thing.go", "schema_metadata.go"],
      constsFiles: ["consts/consts.go"],
      prefixes: { "schema_metadata.go": "metadata." },
    });
    // namespacedMetadataSchema is never called by this resource: its namespace field is not the resource's.
    expect(found).toEqual(["backend", "block.inner", "exportable", "metadata.generate_name", "metadata.name"]);
  });
});
