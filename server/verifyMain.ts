// `npm run verify -- FILE PROOF [--key KEYTEXT | --key-url URL]`: checks, offline, that FILE is the document
// a transparency-log proof (the .tlog file or the JSON of GET /api/documents/:id/proof) names, that its
// entry is in the tree the checkpoint commits to, and that the log's key signed that checkpoint.
// Exit 0 with a summary; 1 naming the step that failed; 2 when the command itself is wrong.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkDocumentProof } from '../domain/transparencyLog/documentProofCheck.ts';
import { parseVerifierKey, type NoteVerifier } from '../domain/transparencyLog/note.ts';

const USAGE = 'usage: npm run verify -- FILE PROOF (--key KEYTEXT | --key-url URL)';

class UsageError extends Error {}

async function keyOf(options: { key?: string; 'key-url'?: string }): Promise<NoteVerifier> {
  let text = options.key;
  if (text === undefined && options['key-url']) {
    const response = await fetch(options['key-url'], { signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new UsageError(`the key URL answered ${response.status}`);
    text = (await response.text()).trim();
  }
  if (text === undefined) {
    throw new UsageError(
      'give the log key (--key, kept from a source you trust) or --key-url to fetch it once',
    );
  }
  try {
    return parseVerifierKey(text.trim());
  } catch (error) {
    throw new UsageError(`key: ${(error as Error).message}`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { key: { type: 'string' }, 'key-url': { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [filePath, proofPath, ...extra] = parsed.positionals;
  if (!filePath || !proofPath || extra.length > 0) throw new UsageError('give one FILE and one PROOF');
  const key = await keyOf(parsed.values);
  const [file, proofText] = await Promise.all([
    readFile(filePath).catch(() => {
      throw new UsageError(`cannot read ${filePath}`);
    }),
    readFile(proofPath, 'utf8').catch(() => {
      throw new UsageError(`cannot read ${proofPath}`);
    }),
  ]);

  const check = checkDocumentProof(file, proofText, key);
  for (const line of check.lines) {
    (line.ok ? process.stdout : process.stderr).write(
      `${line.ok ? 'ok  ' : 'FAIL'} ${line.step.padEnd(10)} ${line.detail}\n`,
    );
  }
  if (check.failed) {
    process.stderr.write(`NOT VERIFIED: the ${check.failed} step failed.\n`);
    return 1;
  }
  const { entry, checkpoint } = check;
  process.stdout.write(
    `VERIFIED: ${filePath} is document ${entry!.documentId} of order ${entry!.orderPublicId}, ` +
      `leaf ${check.index} of the ${checkpoint!.size}-leaf tree that ${checkpoint!.origin} signed.\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
    } else {
      process.stderr.write(`${(error as Error).message}\n`);
    }
    process.exitCode = 2;
  },
);
