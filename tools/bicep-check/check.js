#!/usr/bin/env node
// Bicep checks without the Bicep compiler (not installable here): a real parser (tree-sitter-bicep).
//   node check.js syntax <file-or-dir>...  -> every syntax error with file:line:column; exit 1 if any
//   node check.js facts <file.bicep>       -> JSON of params (type, default), vars, resources, outputs
// "facts" lets the Java build compare the infrastructure with the code (settings, containers, runtime).
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

function main(argv) {
  const [command, ...args] = argv;
  if (command === 'syntax' && args.length > 0) return syntax(args);
  if (command === 'facts' && args.length === 1) return facts(args[0]);
  console.error('usage: check.js syntax <file-or-dir>... | check.js facts <file.bicep>');
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error('bicep-check: ' + e.message);
  process.exitCode = 2;
}
