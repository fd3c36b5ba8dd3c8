import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ENTRY_POINTS = [
  'src/index.ts',
  'src/ws/index.ts',
  'src/socket-io/index.ts',
  'src/testing/index.ts',
];
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every symbol the package exports, with the JSDoc problems found on it. */
function auditPublicApi(): Map<string, string[]> {
  const program = ts.createProgram(
    ENTRY_POINTS.map((file) => `${root}${file}`),
    {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      experimentalDecorators: true,
      strict: true,
      noEmit: true,
    },
  );
  const checker = program.getTypeChecker();
  const report = new Map<string, string[]>();
  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(`${root}${entry}`)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const problems: string[] = [];
      const declarations = symbol.declarations ?? [];
      const tags = declarations.flatMap((d) => ts.getJSDocTags(d).map((t) => t.tagName.text));
      const documented = declarations.some((d) => ts.getJSDocCommentsAndTags(d).length > 0);
      if (!documented) problems.push('no JSDoc');
      // Examples where they teach (not forced on every constant); internals never leak.
      if (tags.includes('internal')) problems.push('exported but @internal');
      for (const declaration of declarations) {
        if (!ts.isInterfaceDeclaration(declaration)) continue;
        for (const member of declaration.members) {
          if (!ts.isPropertySignature(member) || member.questionToken === undefined) continue;
          const memberTags = ts.getJSDocTags(member).map((t) => t.tagName.text);
          if (!memberTags.includes('default'))
            problems.push(`optional property ${member.name.getText()} has no @default`);
        }
      }
      report.set(`${entry}: ${exported.name}`, problems);
    }
  }
  return report;
}

describe('public API documentation', () => {
  const report = auditPublicApi();

  it('covers every entry point', () => {
    expect(report.size).toBeGreaterThan(20);
  });

  it('documents every exported symbol, and every option with its @default', () => {
    const undocumented = [...report]
      .filter(([, problems]) => problems.length > 0)
      .map(([name, problems]) => `${name}: ${problems.join(', ')}`);
    expect(undocumented).toEqual([]);
  });
});
