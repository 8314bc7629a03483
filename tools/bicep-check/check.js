#!/usr/bin/env node
// Bicep checks without the Bicep compiler (not installable here): a real parser (tree-sitter-bicep).
//   node check.js syntax <file-or-dir>...  -> every syntax error with file:line:column; exit 1 if any
//   node check.js facts <file.bicep>       -> JSON of params (type, default), vars, resources, outputs
//   node check.js model <file.bicep>       -> the whole template as data: every declaration with its
//                                             expressions as syntax trees, local modules inlined
// "facts" lets the Java build compare the infrastructure with the code (settings, containers, runtime);
// "model" lets it evaluate a deployment (which settings a redeploy writes, in which order).
'use strict';
const fs = require('fs');
const path = require('path');
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

function parserFor() {
  const parser = new Parser();
  parser.setLanguage(Bicep);
  return parser;
}

function bicepFiles(target) {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  return fs.readdirSync(target, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules')
    .flatMap((e) => {
      const full = path.join(target, e.name);
      if (e.isDirectory()) return bicepFiles(full);
      return /\.(bicep|bicepparam)$/.test(e.name) ? [full] : [];
    });
}

// tree-sitter-bicep has no rule for typeless `param x = value` in .bicepparam files; the value is
// an ordinary expression, so it is parsed as `var` (same length, same columns).
function sourceOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.bicepparam') ? text.replace(/^(\s*)param(\s)/gm, '$1var  $2') : text;
}

function problems(node, file, out) {
  if (node.isMissing || node.type === 'ERROR') {
    const { row, column } = node.startPosition;
    const what = node.isMissing ? `missing ${node.type}` : 'unexpected syntax';
    const text = node.text.split('\n')[0].slice(0, 60);
    out.push(`${file}:${row + 1}:${column + 1}: ${what}${text ? ` near '${text}'` : ''}`);
    if (node.type === 'ERROR') return;
  }
  for (const child of node.children) problems(child, file, out);
}

// Every parameter a .bicepparam file sets must be declared by the template it names in `using`.
function paramsKnown(tree, file, out) {
  const using = tree.rootNode.namedChildren.find((n) => n.type === 'using_statement');
  if (!using) {
    out.push(`${file}:1:1: a .bicepparam file needs a using statement`);
    return;
  }
  const template = path.join(path.dirname(file), using.namedChildren[0].text.slice(1, -1));
  const declared = new Set(
    parserFor().parse(fs.readFileSync(template, 'utf8')).rootNode.namedChildren
      .filter((n) => n.type === 'parameter_declaration')
      .map((n) => n.namedChildren[0].text));
  for (const node of tree.rootNode.namedChildren.filter((n) => n.type === 'variable_declaration')) {
    const name = node.namedChildren[0].text;
    if (!declared.has(name)) {
      const { row, column } = node.startPosition;
      out.push(`${file}:${row + 1}:${column + 1}: parameter '${name}' is not declared in ${template}`);
    }
  }
}

// A module path that does not exist fails the deployment; catch it here.
function modulesExist(tree, file, out) {
  for (const node of tree.rootNode.namedChildren.filter((n) => n.type === 'module_declaration')) {
    const ref = node.namedChildren[1].text.slice(1, -1);
    if (!ref.includes(':') && !fs.existsSync(path.join(path.dirname(file), ref))) {
      const { row, column } = node.startPosition;
      out.push(`${file}:${row + 1}:${column + 1}: module file '${ref}' does not exist`);
    }
  }
}

function syntax(targets) {
  const parser = parserFor();
  const files = targets.flatMap(bicepFiles);
  if (files.length === 0) {
    console.error('bicep-check: no .bicep files found in ' + targets.join(', '));
    return 2;
  }
  const found = [];
  for (const file of files) {
    const tree = parser.parse(sourceOf(file));
    problems(tree.rootNode, file, found);
    if (file.endsWith('.bicepparam')) paramsKnown(tree, file, found);
    modulesExist(tree, file, found);
  }
  found.forEach((p) => console.error(p));
  console.log(`bicep-check: ${files.length} file(s), ${found.length} syntax error(s)`);
  return found.length === 0 ? 0 : 1;
}

// Literal values become JSON; anything computed is kept as {"$expr": "<source>"}.
function value(node) {
  switch (node.type) {
    case 'string':
      return node.namedChildren.every((c) => c.type === 'string_content' || c.type === 'escape_sequence')
        ? node.text.slice(1, -1).replace(/\\(['\\])/g, '$1')
        : { $expr: node.text };
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'array':
      return node.namedChildren.map(value);
    case 'object': {
      const result = {};
      for (const prop of node.namedChildren.filter((c) => c.type === 'object_property')) {
        const [key, val] = prop.namedChildren;
        const name = key.type === 'string' ? key.text.slice(1, -1) : key.text;
        result[name] = val ? value(val) : null;
      }
      return result;
    }
    default:
      return { $expr: node.text };
  }
}

function facts(file) {
  const tree = parserFor().parse(fs.readFileSync(file, 'utf8'));
  const out = { params: {}, vars: {}, resources: [], outputs: {} };
  const broken = [];
  problems(tree.rootNode, file, broken);
  if (broken.length > 0) {
    broken.forEach((p) => console.error(p));
    return 1;
  }
  for (const node of tree.rootNode.namedChildren) {
    const [name, second, third] = node.namedChildren;
    if (node.type === 'parameter_declaration') {
      out.params[name.text] = { type: second ? second.text : null, default: third ? value(third) : null };
    } else if (node.type === 'variable_declaration') {
      out.vars[name.text] = value(node.namedChildren[node.namedChildren.length - 1]);
    } else if (node.type === 'resource_declaration') {
      out.resources.push({ name: name.text, type: second.text.slice(1, -1) });
    } else if (node.type === 'output_declaration') {
      out.outputs[name.text] = { type: second ? second.text : null };
    }
  }
  console.log(JSON.stringify(out, null, 2));
  return 0;
}

// Expressions as plain JSON trees, for an evaluator on the Java side. Every node names its kind:
//   {str} | {interp:[part...]} | {num} | {bool} | {null} | {id} | {member, prop} | {index, at}
//   {call, args} (call: a name, or a member tree for x.f()) | {cond, then, else} | {op, arg}
//   {op, left, right} | {object:{key: tree}} | {array:[tree]} | {for, in, body} | {raw}
function tree(node) {
  switch (node.type) {
    case 'string': {
      const parts = [];
      for (const c of node.namedChildren) {
        if (c.type === 'string_content') parts.push(c.text);
        else if (c.type === 'escape_sequence') parts.push(c.text.slice(1));
        else if (c.type === 'interpolation') parts.push(tree(c.namedChildren[0]));
        else return { raw: node.text };
      }
      return parts.every((p) => typeof p === 'string') ? { str: parts.join('') } : { interp: parts };
    }
    case 'number':
      return { num: Number(node.text) };
    case 'boolean':
      return { bool: node.text === 'true' };
    case 'null':
      return { null: true };
    case 'identifier':
    case 'property_identifier':
      return { id: node.text };
    case 'parenthesized_expression':
      return tree(node.namedChildren[0]);
    case 'member_expression':
      return { member: tree(node.namedChildren[0]), prop: node.namedChildren[1].text };
    case 'subscript_expression':
      return { index: tree(node.namedChildren[0]), at: tree(node.namedChildren[1]) };
    case 'call_expression': {
      const [callee, args] = node.namedChildren;
      return {
        call: callee.type === 'identifier' ? callee.text : tree(callee),
        args: args ? args.namedChildren.map(tree) : [],
      };
    }
    case 'ternary_expression': {
      const [c, a, b] = node.namedChildren;
      return { cond: tree(c), then: tree(a), else: tree(b) };
    }
    case 'unary_expression':
      return { op: node.children[0].type, arg: tree(node.namedChildren[0]) };
    case 'binary_expression': {
      const [l, r] = node.namedChildren;
      const op = node.children.find((c) => !c.isNamed).type;
      return { op, left: tree(l), right: tree(r) };
    }
    case 'object': {
      const object = {};
      for (const prop of node.namedChildren.filter((c) => c.type === 'object_property')) {
        const [key, val] = prop.namedChildren;
        object[key.type === 'string' ? key.text.slice(1, -1) : key.text] = val ? tree(val) : { null: true };
      }
      return { object };
    }
    case 'array':
      return { array: node.namedChildren.map(tree) };
    case 'for_statement': {
      const named = node.namedChildren;
      return { for: named[0].text, in: tree(named[1]), body: tree(named[named.length - 1]) };
    }
    default:
      return { raw: node.text };
  }
}

function decoratorsOf(node) {
  return node.namedChildren.map((d) => {
    const call = d.namedChildren[0];
    return call.type === 'call_expression'
      ? { name: call.namedChildren[0].text, args: (call.namedChildren[1]?.namedChildren || []).map(tree) }
      : { name: call.text, args: [] };
  });
}

// A resource or module body: plain object, `if (condition) {...}`, or a `[for ...]` loop.
function body(node) {
  if (node.type === 'if_statement') {
    const [condition, object] = node.namedChildren;
    return { condition: tree(condition), body: tree(object) };
  }
  return { condition: null, body: tree(node) };
}

function model(file, seen = new Set()) {
  const resolved = path.resolve(file);
  if (seen.has(resolved)) throw new Error(`module cycle through ${file}`);
  const parsed = parserFor().parse(fs.readFileSync(file, 'utf8'));
  const broken = [];
  problems(parsed.rootNode, file, broken);
  if (broken.length > 0) throw new Error(broken.join('\n'));
  const out = { file: path.relative(process.cwd(), resolved), params: {}, vars: {}, resources: [], modules: [], outputs: {} };
  let decorators = [];
  for (const node of parsed.rootNode.namedChildren) {
    if (node.type === 'decorators') {
      decorators = decoratorsOf(node);
      continue;
    }
    const named = node.namedChildren;
    const symbol = named[0] && named[0].text;
    if (node.type === 'parameter_declaration') {
      out.params[symbol] = {
        type: named[1] ? named[1].text : null,
        default: named[2] ? tree(named[2]) : null,
        decorators,
      };
    } else if (node.type === 'variable_declaration') {
      out.vars[symbol] = tree(named[named.length - 1]);
    } else if (node.type === 'resource_declaration') {
      out.resources.push({
        symbol,
        type: named[1].text.slice(1, -1),
        existing: node.children.some((c) => c.type === 'existing'),
        ...body(named[named.length - 1]),
      });
    } else if (node.type === 'module_declaration') {
      const ref = named[1].text.slice(1, -1);
      const local = !ref.includes(':');
      out.modules.push({
        symbol,
        path: ref,
        ...body(named[named.length - 1]),
        model: local ? model(path.join(path.dirname(file), ref), new Set([...seen, resolved])) : null,
      });
    } else if (node.type === 'output_declaration') {
      out.outputs[symbol] = { type: named[1] ? named[1].text : null, value: tree(named[named.length - 1]), decorators };
    }
    decorators = [];
  }
  return out;
}

function main(argv) {
  const [command, ...args] = argv;
  if (command === 'syntax' && args.length > 0) return syntax(args);
  if (command === 'facts' && args.length === 1) return facts(args[0]);
  if (command === 'model' && args.length === 1) {
    console.log(JSON.stringify(model(args[0]), null, 1));
    return 0;
  }
  console.error('usage: check.js syntax <file-or-dir>... | check.js facts <file.bicep> | check.js model <file.bicep>');
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error('bicep-check: ' + e.message);
  process.exitCode = 2;
}
