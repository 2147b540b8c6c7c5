/**
 * Checks every code block of README.md and of each *.md under docs/ (pages added later included), so the
 * documentation cannot drift from the API. The conventions for writing a block:
 *
 * - ```ts / ```typescript: a complete ES module, type-checked against the library's source with the settings of
 *   tsconfig.json (strict, decorators, NodeNext), `nestjs-healthcheck` resolving to lib/index.ts. Each block is
 *   its own module: top-level `await` works, names never clash between blocks, and a block imports what it uses
 *   (the library, `@nestjs/*`, Node's modules, or any package installed as a dev dependency). What the reader
 *   supplies is declared in the block: `declare const queue: { ping(): Promise<boolean> }; // your queue client`.
 *   A relative import cannot be resolved: define the thing in the block (say where it usually lives).
 * - ```ts fragment (the word `fragment` after the language): a piece that cannot stand alone. It is only parsed
 *   for syntax, so it must still read as statements (no `...` in place of code). Keep fragments rare: a
 *   complete block is checked for real.
 * - ```json: parsed with JSON.parse.
 * - Any other language (yaml, sh, bash, text, none): not checked.
 *
 * A failure names the Markdown file and the line, in that file, of the offending code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VIRTUAL_DIR = join(ROOT, '.docs-code-blocks');

interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line of the block's first line of code in the Markdown file. */
  firstLine: number;
  language: string;
  fragment: boolean;
  code: string;
}

function markdownFiles(): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return [join(ROOT, 'README.md'), ...pages.sort()];
}

const FENCE_OPEN = /^( *)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;

/** Fenced code blocks of one Markdown text, with the indentation of their fence removed from every line. */
function codeBlocksOf(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE_OPEN.exec(lines[index]);
    if (!open) continue;
    const [, indent, fence, language, info] = open;
    const body: string[] = [];
    let end = index + 1;
    while (
      end < lines.length &&
      !new RegExp(`^ *${fence[0]}{${fence.length},}\\s*$`).test(lines[end])
    ) {
      const line = lines[end];
      body.push(
        line.startsWith(indent) ? line.slice(indent.length) : line.trimStart(),
      );
      end++;
    }
    blocks.push({
      file,
      firstLine: index + 2,
      language: language.toLowerCase(),
      fragment: /\bfragment\b/.test(info),
      code: body.join('\n'),
    });
    index = end;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap((path) =>
  codeBlocksOf(relative(ROOT, path), readFileSync(path, 'utf8')),
);
const typescriptBlocks = blocks.filter(
  (block) => block.language === 'ts' || block.language === 'typescript',
);
const jsonBlocks = blocks.filter((block) => block.language === 'json');

/** Where a block lives in the one Program: a module file of its own under a directory that does not exist. */
function virtualPath(block: CodeBlock): string {
  const name = `${block.file.replace(/[^\w.-]/g, '_')}.L${block.firstLine}.mts`;
  return join(VIRTUAL_DIR, name);
}

let program: ts.Program | undefined;

/** One Program for every TypeScript block: the library's types are loaded once. */
function docsProgram(): ts.Program {
  if (program) return program;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(
          ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        );
      },
    },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
  const sources = new Map(
    typescriptBlocks.map((block) => [virtualPath(block), block.code]),
  );
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const code = sources.get(fileName);
    return code === undefined
      ? getSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, code, languageVersion, true);
  };
  host.fileExists = (fileName) => sources.has(fileName) || fileExists(fileName);
  host.readFile = (fileName) => sources.get(fileName) ?? readFile(fileName);
  program = ts.createProgram([...sources.keys()], options, host);
  return program;
}

/** `README.md:84:7 TS2304: Cannot find name 'x'.`, with the line counted in the Markdown file. */
function describeDiagnostic(
  block: CodeBlock,
  diagnostic: ts.Diagnostic,
): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) {
    return `${block.file}:${block.firstLine} TS${diagnostic.code}: ${message}`;
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(
    diagnostic.start,
  );
  const where =
    diagnostic.file.fileName === virtualPath(block)
      ? `${block.file}:${block.firstLine + line}:${character + 1}`
      : `${block.file}:${block.firstLine} (in ${relative(ROOT, diagnostic.file.fileName)}:${line + 1})`;
  return `${where} TS${diagnostic.code}: ${message}`;
}

function errorsOf(block: CodeBlock): string[] {
  const compiled = docsProgram();
  const source = compiled.getSourceFile(virtualPath(block));
  if (!source) return [`${block.file}:${block.firstLine}: not compiled`];
  const diagnostics = block.fragment
    ? compiled.getSyntacticDiagnostics(source)
    : [
        ...compiled.getSyntacticDiagnostics(source),
        ...compiled.getSemanticDiagnostics(source),
      ];
  return diagnostics.map((diagnostic) => describeDiagnostic(block, diagnostic));
}

const label = (block: CodeBlock): string =>
  `${block.file}:${block.firstLine}${block.fragment ? ' (fragment: syntax only)' : ''}`;

describe('code blocks of the README and docs/', () => {
  it('finds the TypeScript and JSON blocks of the README and of the pages under docs/', () => {
    const files = new Set(typescriptBlocks.map((block) => block.file));
    expect(files).toContain('README.md');
    expect(
      [...files].filter((file) => file.startsWith('docs/')).length,
    ).toBeGreaterThan(0);
    expect(jsonBlocks.length).toBeGreaterThan(0);
  });

  it('compiles with no error in the compiler options', () => {
    expect(
      docsProgram()
        .getOptionsDiagnostics()
        .map((diagnostic) =>
          ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        ),
    ).toEqual([]);
  }, 120_000);

  describe('TypeScript blocks type-check against the library', () => {
    it.each(typescriptBlocks.map((block) => [label(block), block] as const))(
      '%s',
      (_label, block) => {
        expect(errorsOf(block)).toEqual([]);
      },
      120_000,
    );
  });

  describe('JSON blocks parse', () => {
    it.each(jsonBlocks.map((block) => [label(block), block] as const))(
      '%s',
      (_label, block) => {
        let error = '';
        try {
          JSON.parse(block.code);
        } catch (thrown) {
          const message = (thrown as Error).message;
          const position = /position (\d+)/.exec(message);
          const line = position
            ? block.code.slice(0, Number(position[1])).split('\n').length - 1
            : 0;
          error = `${block.file}:${block.firstLine + line}: ${message}`;
        }
        expect(error).toBe('');
      },
    );
  });
});
