#!/usr/bin/env node
/**
 * Cross-stack inputs of the synthesized stacks: which outputs of another stack a stack reads through
 * terraform_remote_state (cdktf's cross-stack references). Plain Node, no install step: the deploy job runs it
 * between applies.
 *
 *   node scripts/stack-inputs.js deferred <base cdktf.out> <head cdktf.out> [<suffix>]
 *     JSON list of the stacks (ending in <suffix>, default "-prod") whose plan must wait until the stacks they read
 *     are applied: they read an output that the base does not have or whose value expression the pull request
 *     changes. A pull-request plan of such a stack would fail ("Unsupported attribute") or read the old value.
 *     With no base output (the first pull request), every stack that reads another is deferred.
 *   node scripts/stack-inputs.js changed <cdktf.out> <stack> <before-dir> <after-dir>
 *     Prints changed=true when an output the stack reads differs between <before-dir>/<upstream>.json and
 *     <after-dir>/<upstream>.json (`terraform output -json` of each upstream before and after its apply in this
 *     run), else changed=false; an upstream not applied in this run has no after file and counts as unchanged.
 */
"use strict";
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

function fail(message) {
  process.stderr.write(`stack-inputs: ${message}\n`);
  process.exit(2);
}

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return fail(`${file}: ${e.message}`);
  }
};

/** Stack name -> its cdk.tf.json, from the output's manifest. */
function stacksOf(out) {
  const manifest = readJson(join(out, "manifest.json"));
  const stacks = {};
  for (const [name, s] of Object.entries(manifest.stacks || {})) stacks[name] = readJson(join(out, s.synthesizedStackPath));
  return stacks;
}

const backendKey = (type, conf) => `${type}:${type === "s3" ? `${conf.bucket}/${conf.key}` : conf.path}`;

/** The outputs a stack reads from each other stack: { upstream: [output, ...] }. */
function reads(stacks, name) {
  const byState = {};
  for (const [other, json] of Object.entries(stacks)) {
    const backend = (json.terraform || {}).backend || {};
    const [type] = Object.keys(backend);
    if (type) byState[backendKey(type, backend[type])] = other;
  }
  const json = stacks[name];
  const text = JSON.stringify(json);
  const out = {};
  for (const [ref, ds] of Object.entries(((json.data || {}).terraform_remote_state) || {})) {
    const upstream = byState[backendKey(ds.backend, ds.config)];
    if (!upstream) fail(`${name}: remote state ${ref} is no stack of this output`);
    const re = new RegExp(`data\\.terraform_remote_state\\.${ref.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}\\.outputs\\.([A-Za-z0-9_-]+)`, "g");
    out[upstream] = [...new Set([...(out[upstream] || []), ...[...text.matchAll(re)].map((m) => m[1])])].sort();
  }
  return out;
}

function deferred(baseOut, headOut, suffix) {
  const head = stacksOf(headOut);
  const base = existsSync(join(baseOut, "manifest.json")) ? stacksOf(baseOut) : undefined;
  const result = [];
  for (const name of Object.keys(head).filter((n) => n.endsWith(suffix))) {
    for (const [upstream, outputs] of Object.entries(reads(head, name))) {
      const before = base && base[upstream] ? base[upstream].output || {} : {};
      const after = head[upstream].output || {};
      const moved = outputs.filter((o) => !(o in before) || JSON.stringify(before[o].value) !== JSON.stringify(after[o].value));
      if (moved.length > 0 && !result.includes(name)) result.push(name);
    }
  }
  return result;
}

function changed(out, stack, beforeDir, afterDir) {
  const stacks = stacksOf(out);
  if (!stacks[stack]) fail(`${stack} is not a stack of ${out}`);
  const differences = [];
  for (const [upstream, outputs] of Object.entries(reads(stacks, stack))) {
    const afterFile = join(afterDir, `${upstream}.json`);
    if (!existsSync(afterFile)) continue;
    const beforeFile = join(beforeDir, `${upstream}.json`);
    const before = existsSync(beforeFile) ? readJson(beforeFile) : {};
    const after = readJson(afterFile);
    for (const o of outputs) {
      if (JSON.stringify((before[o] || {}).value) !== JSON.stringify((after[o] || {}).value)) differences.push(`${upstream}.${o}`);
    }
  }
  process.stderr.write(differences.length ? `${stack} reads outputs changed by this deploy: ${differences.join(", ")}\n` : "");
  return differences.length > 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === "deferred" && rest.length >= 2) {
  process.stdout.write(`${JSON.stringify(deferred(rest[0], rest[1], rest[2] || "-prod"))}\n`);
} else if (command === "changed" && rest.length === 4) {
  process.stdout.write(`changed=${changed(...rest)}\n`);
} else {
  fail("usage: stack-inputs.js deferred <base cdktf.out> <head cdktf.out> [suffix] | changed <cdktf.out> <stack> <before-dir> <after-dir>");
}
