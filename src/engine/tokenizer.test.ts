import { describe, expect, it } from 'vitest';
import { BKLOG_DELIMITER, DEFAULT_CONFIG, parseConfig } from './config.ts';
import { compileMasking } from './masking.ts';
import { Tokenizer, VAR } from './tokenizer.ts';

function tokens(message: string, config: unknown = {}): string[] {
  const cfg = parseConfig(config);
  const t = new Tokenizer(cfg, compileMasking(cfg.predefined_varibles)).tokenize(message);
  return t.keys.slice(0, t.count).map((k, i) => (k.startsWith(VAR) ? `<${k.slice(1)}>` : t.text.slice(t.starts[i], t.ends[i])));
}

describe('built-in tokeniser', () => {
  it('splits on whitespace and key/value punctuation and marks values', () => {
    expect(tokens('uid=0 euid=0 tty=ssh ruser= rhost=10.1.2.3  user=root')).toEqual(
      ['uid', '<NUMBER>', 'euid', '<NUMBER>', 'tty', 'ssh', 'ruser', 'rhost', '<IP>', 'user', '<USER>']);
  });

  it('treats a dot before whitespace or the end as a sentence end, but keeps it inside paths', () => {
    expect(tokens('started on port 55904.')).toEqual(['started', 'on', 'port', '<NUMBER>']);
    expect(tokens('allocate /user/part-00590. blk_1')).toEqual(['allocate', '<PATH>', 'blk_1']);
  });

  it('splits host/ip inside a word but keeps absolute paths whole', () => {
    expect(tokens('Old: msra-sa-41/10.190.173.170:8030')).toEqual(['Old', '<ID>', '<IP>', '<NUMBER>']);
    expect(tokens('ok /etc/httpd/conf/workers2.properties')).toEqual(['ok', '<PATH>']);
  });

  it('recognises MAC-like hex pair runs and ./relative paths', () => {
    expect(tokens('changed: FF:F2:9F:16:E9:AF ip=1 ./runtime_malloc AB:CD')).toEqual(['changed', '<MAC>', 'ip', '<NUMBER>', '<PATH>', 'AB', 'CD']);
  });

  it('keeps a URL body as one variable after its scheme', () => {
    expect(tokens('listening on [akka.tcp://sparkExecutor@host-07:55904] now')).toEqual(['listening', 'on', 'akka.tcp', '<URL>', 'now']);
  });

  it('writes word.123 as a word and a number', () => {
    expect(tokens('generating core.2275')).toEqual(['generating', 'core', '<NUMBER>']);
  });

  it('marks month and weekday names only next to numbers', () => {
    expect(tokens('at Fri Jun 17 07:07:00 2005')).toEqual(['at', '<DATE>', '<DATE>', '<NUMBER>', '<NUMBER>', '<NUMBER>', '<NUMBER>', '<NUMBER>']);
    expect(tokens('May I help')).toEqual(['May', 'I', 'help']);
  });

  it('joins a byte-size unit to the number before it', () => {
    expect(tokens('estimated size 17.7 KB, free 3 GB')).toEqual(['estimated', 'size', '<NUMBER>', 'free', '<NUMBER>']);
    expect(tokens('took 17 KB/s')).toEqual(['took', '<NUMBER>', 's']);
    expect(tokens('17  KB')).toEqual(['<NUMBER>', 'KB']);
  });

  it('cuts messages to max_log_length without splitting a surrogate pair', () => {
    const cfg = parseConfig({ max_log_length: 16 });
    const t = new Tokenizer(cfg, compileMasking([]));
    expect(t.truncate('a'.repeat(15) + '😀tail')).toBe('a'.repeat(15));
    expect(t.tokenize('x'.repeat(100_000)).text.length).toBe(16);
  });

  it('survives lone surrogates, and never takes a NUL in the input for a variable marker', () => {
    expect(tokens('bad \uD800 char \u0000 and \uDFFF end')).toEqual(['bad', '\uD800', 'char', '\uFFFD', 'and', '\uDFFF', 'end']);
  });
});

describe('regex tokeniser (bk-log delimeter)', () => {
  it('splits by bk-log\'s default delimiter and drops punctuation-only pieces', () => {
    const config = { delimeter: BKLOG_DELIMITER, builtin_variables: false };
    expect(tokens('a=1, b:[x] (y)/z -- done!', config)).toEqual(['a', '1', 'b', 'x', 'y', 'z', 'done']);
  });

  it('lets span variables cross delimiters and token variables test single tokens', () => {
    const config = { delimeter: BKLOG_DELIMITER, builtin_variables: false, predefined_varibles: ['IP-PORT:\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+', 'NUMBER:^\\d+$'] };
    expect(tokens('from 10.0.0.1:80 took 15 ms', config)).toEqual(['from', '<IP-PORT>', 'took', '<NUMBER>', 'ms']);
  });

  it('lower-cases words when not case-sensitive', () => {
    const cfg = parseConfig({ ...DEFAULT_CONFIG, is_case_sensitive: false });
    const t = new Tokenizer(cfg, compileMasking([])).tokenize('Hello WORLD');
    expect(t.keys.slice(0, t.count)).toEqual(['hello', 'world']);
  });
});
