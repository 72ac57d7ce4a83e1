/**
 * Options that take one value may be given once. Commander keeps the last of several values in
 * silence, so `--template a.yaml --template b.yaml` analyzed b.yaml alone, and a Deny only a.yaml
 * held was never seen. A second occurrence is a usage error (exit 2) naming the option.
 */
import type { Command } from 'commander';

/**
 * Make every option of `command` that takes one value refuse a second occurrence. Call it once
 * all its options are declared. An option that collects its values into a list (a parser with a
 * list as default, like `--pipeline`, or a variadic one, like crawl's `--region <region...>`) is
 * repeatable and left alone, as are options that take no value (`--strict`).
 */
export function refuseRepeatedOptions(command: Command): Command {
  for (const option of command.options) {
    if (!option.required && !option.optional) continue;
    if (option.variadic || Array.isArray(option.defaultValue)) continue;
    const key = option.attributeName();
    const parse = option.parseArg;
    // the source, not the previous value: an option with a default sees the default as previous
    option.argParser((value: string, previous: unknown): unknown => {
      if (command.getOptionValueSource(key) === 'cli')
        command.error(`error: option '${option.flags}' given twice (it takes one value)`, {
          exitCode: 2,
          code: 'permchain.optionRepeated',
        });
      return parse ? parse(value, previous) : value;
    });
  }
  return command;
}
