/**
 * YAML aliases resolved in one pass. The `yaml` library's `Alias.resolve(doc)` walks the whole
 * document at each call, so a document of n aliases took n walks: 8,000 anchors and aliases
 * (230 KB) did not finish in 30 s. Here the document is walked once, in the library's order, and
 * each alias is then looked up in a map.
 */
import {
  isAlias,
  isCollection,
  isNode,
  isPair,
  type Alias,
  type Document,
  type Node as YamlNode,
} from 'yaml';

/**
 * The node each alias of `doc` names: the last node before the alias, in document order (a node
 * before its children, a key before its value), that carries its anchor
 * (https://yaml.org/spec/1.2.2/#71-alias-nodes: "an alias node refers to the most recent
 * preceding node having the same anchor"), as `Alias.resolve` finds it. An alias that names no
 * anchor before it maps to undefined: a YAML error for the caller to report. Iterative, so a
 * deeply nested document cannot overflow the stack here.
 */
export function aliasTargets(doc: Document.Parsed): Map<Alias, YamlNode | undefined> {
  const targets = new Map<Alias, YamlNode | undefined>();
  const anchors = new Map<string, YamlNode>();
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (isPair(node)) {
      // the key before the value: pushed in reverse
      pending.push(node.value, node.key);
      continue;
    }
    if (!isNode(node)) continue;
    if (node.anchor !== undefined) anchors.set(node.anchor, node);
    if (isCollection(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return targets;
}
